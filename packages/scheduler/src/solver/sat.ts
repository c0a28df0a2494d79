// A small CDCL SAT solver (two watched literals, first-UIP learning with recursive
// minimisation, VSIDS, phase saving with target phases, Luby restarts, learnt-clause
// reduction that keeps glue clauses; the long clauses' literals live in one flat array,
// not one array each), with native "at most" constraints (Σ weight·[l] ≤ limit, counted as
// literals become true, their reasons read off the trail when conflict analysis asks).
// Literals: 2·v for v, 2·v + 1 for ¬v.
// Deterministic: no randomness, no clock; the effort is bounded by a conflict budget.

const UNDEF = 0;
/**
 * Conflicts between restarts, times the Luby sequence. With target phases a restart costs
 * little (the descent replays the longest conflict-free trail); on the 20,000-student
 * schools with students (gen.mjs seeds 1–10) 300 needed 76 million assignments in all
 * where 100 needed 102 million, 1,000 99 million.
 */
const RESTART_UNIT = 300;
/** learnt clauses of at most this LBD (decision levels among their literals) are never deleted */
const GLUE = 2;
const TRUE = 1;
const FALSE = -1;
/** reasons from `at most` constraint j are stored as CARD + j */
const CARD = 1 << 30;

export class Sat {
  private nVars = 0;
  private value = new Int8Array(0);
  /** value of each literal (1 true, -1 false, 0 unassigned), kept alongside `value` for speed */
  private lv = new Int8Array(0);
  /** static binary clauses as adjacency in CSR form, built when solving starts */
  private binPairs: number[] = [];
  private binStart = new Int32Array(1);
  private binList = new Int32Array(0);
  /** literals covered by binStart (variables added after freezing keep their binary clauses in `bins`) */
  private binLits = 0;
  private frozen = false;
  private level = new Int32Array(0);
  /** reason of an implied variable: clause index + 1, -(other literal + 1) for a binary clause, CARD + j for at-most constraint j, 0 for decisions */
  private reason = new Int32Array(0);
  /** position of each assigned variable on the trail */
  private pos = new Int32Array(0);
  private phase = new Int8Array(0);
  /**
   * Target phases (as in CaDiCaL): the values of the longest conflict-free trail since the
   * last restart, or the last model; decisions take them before the saved phases, so after
   * a conflict or a restart the search goes back to the most consistent assignment it had
   * and repairs it rather than wandering off (0: none yet)
   */
  private target = new Int8Array(0);
  /** length of the trail the target phases were taken from */
  private targetAssigned = 0;
  private activity = new Float64Array(0);
  private seen = new Uint8Array(0);
  private heap: Int32Array = new Int32Array(0);
  private heapPos = new Int32Array(0);
  private heapSize = 0;
  private bump = 1;

  private trail = new Int32Array(0);
  private trailSize = 0;
  private trailLim: number[] = [];
  private head = 0;

  /** binary clauses: bins[l] lists literals that must hold when l is false */
  private bins: (number[] | null)[] = [];
  /** 1 for literals with a list in `bins` that is not empty (most are empty: checked without touching the list) */
  private hasBins = new Uint8Array(0);
  private nClauses = 0;
  /** all long clauses' literals, one after another (a clause is [clauseStart[i], + clauseSize[i])) */
  private arena = new Int32Array(1 << 16);
  private arenaUsed = 0;
  private clauseStart = new Int32Array(16);
  /** literals of each long clause; 0 once a learnt clause is deleted */
  private clauseSize = new Int32Array(16);
  private learnt: Uint8Array = new Uint8Array(16);
  /** LBD of each learnt clause when it was learnt (at most 255) */
  private lbd: Uint8Array = new Uint8Array(16);
  private clauseActivity: number[] = [];
  /**
   * watches[l] lists, as pairs (clause, blocker), the long clauses watching l (l is one of
   * their first two literals) with another of their literals: a true blocker means the clause
   * is satisfied without looking at it
   */
  private watches: (number[] | null)[] = [];
  private nLearnt = 0;
  private clauseBump = 1;

  /** at-most constraints: literals and weights of constraint j are [cardStart[j], cardStart[j + 1]) of cardLits/cardW */
  private cardLits: number[] = [];
  private cardW: number[] = [];
  private cardStart: number[] = [0];
  private cardLimit: number[] = [];
  private cardMaxW: number[] = [];
  /** the literal of greatest weight (cardMaxW), and the greatest weight of the others: once it is set, only they count */
  private cardHeavy: number[] = [];
  private cardRestW: number[] = [];
  /** weight of the constraint's literals that are true and propagated (trail position < head) */
  private cardSum: number[] = [];
  /** cardOcc[l] lists, as pairs (constraint, weight), the constraints l appears in */
  private cardOcc: (number[] | null)[] = [];
  private hasCard = new Uint8Array(0);
  private conflictCard = -1;

  private ok = true;
  conflicts = 0;
  /** decisions and assignments made so far (the latter include the implied ones) */
  decisions = 0;
  assignments = 0;

  /** Adds a variable; returns its index. */
  newVar(preferTrue = false, decision = true): number {
    const v = this.nVars++;
    if (v >= this.value.length) this.grow(Math.max(64, this.value.length * 2));
    this.phase[v] = preferTrue ? TRUE : FALSE;
    this.decision[v] = decision ? 1 : 0;
    // lists per literal are made when first needed: most literals never have some of them
    this.bins.push(null, null);
    this.watches.push(null, null);
    this.cardOcc.push(null, null);
    if (decision) this.heapInsert(v);
    return v;
  }
  private decision = new Uint8Array(0);

  get variables(): number {
    return this.nVars;
  }

  /** Sets the polarity tried first for a variable. */
  setPhase(v: number, value: boolean): void {
    this.phase[v] = value ? TRUE : FALSE;
  }

  /** Sets out from `model` (one byte per variable, 1 true) at the next decisions, as from the last model found. */
  setTarget(model: Uint8Array): void {
    for (let v = 0; v < this.nVars; v++) this.target[v] = v < model.length ? (model[v] ? TRUE : FALSE) : UNDEF;
    this.targetAssigned = 0;
  }

  /** Raises a variable's initial priority (decided earlier). */
  prefer(v: number, amount: number): void {
    this.activity[v] = (this.activity[v] as number) + amount;
    this.heapUp(this.heapPos[v] as number);
  }

  private grow(n: number): void {
    const g8 = (a: Int8Array): Int8Array<ArrayBuffer> => {
      const b = new Int8Array(n);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array, fill = 0): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.value = g8(this.value);
    const lv = new Int8Array(2 * n);
    lv.set(this.lv);
    this.lv = lv;
    const hb = new Uint8Array(2 * n);
    hb.set(this.hasBins);
    this.hasBins = hb;
    const hc = new Uint8Array(2 * n);
    hc.set(this.hasCard);
    this.hasCard = hc;
    this.pos = g32(this.pos);
    this.phase = g8(this.phase);
    this.target = g8(this.target);
    this.level = g32(this.level);
    this.reason = g32(this.reason);
    this.heap = g32(this.heap);
    this.heapPos = g32(this.heapPos, -1);
    this.trail = g32(this.trail);
    const act = new Float64Array(n);
    act.set(this.activity);
    this.activity = act;
    const seen = new Uint8Array(n);
    seen.set(this.seen);
    this.seen = seen;
    const dec = new Uint8Array(n);
    dec.set(this.decision);
    this.decision = dec;
  }

  private litValue(l: number): number {
    return this.lv[l] as number;
  }

  /**
   * Adds a clause; false when the formula is already unsatisfiable. Clauses may also be
   * added between calls to `solve` (the solver is incremental: the model found last is
   * forgotten, learnt clauses and saved phases are kept).
   */
  addClause(lits: readonly number[]): boolean {
    if (!this.ok) return false;
    this.cancelUntil(0);
    const c: number[] = [];
    for (const l of lits) {
      const v = this.litValue(l);
      if (v === TRUE || c.includes(l ^ 1)) return true;
      if (v === UNDEF && !c.includes(l)) c.push(l);
    }
    if (c.length === 0) return (this.ok = false);
    if (c.length === 1) {
      this.assign(c[0] as number, 0);
      this.ok = this.propagate() < 0;
      return this.ok;
    }
    if (c.length === 2) {
      if (this.frozen) this.addBin(c[0] as number, c[1] as number);
      else this.binPairs.push(c[0] as number, c[1] as number);
      return true;
    }
    this.attach(Int32Array.from(c), false);
    return true;
  }

  /**
   * Adds Σ weights[i]·[lits[i]] ≤ limit (weights default to 1, are whole and positive);
   * false when the formula is already unsatisfiable. Like clauses, also between calls to
   * `solve`. One constraint instead of a counter's helper variables and clauses: it is
   * counted as its literals become true and forces the others false once they would break it.
   */
  addAtMost(lits: readonly number[], limit0: number, weights?: readonly number[]): boolean {
    if (!this.ok) return false;
    this.cancelUntil(0);
    let left = limit0;
    const ls: number[] = [];
    const ws: number[] = [];
    const at = new Map<number, number>();
    for (let i = 0; i < lits.length; i++) {
      const l = lits[i] as number;
      const w = weights ? (weights[i] as number) : 1;
      const v = this.litValue(l);
      if (v === TRUE) left -= w;
      else if (v === UNDEF) {
        const k = at.get(l);
        if (k === undefined) {
          at.set(l, ls.length);
          ls.push(l);
          ws.push(w);
        } else ws[k] = (ws[k] as number) + w;
      }
    }
    if (left < 0) return (this.ok = false);
    // a literal that alone breaks the limit is false; what that implies may settle others, so count again
    const over = ls.filter((_, i) => (ws[i] as number) > left);
    if (over.length) {
      for (const l of over) if (!this.addClause([l ^ 1])) return false;
      return this.addAtMost(lits, limit0, weights);
    }
    const total = ws.reduce((a, w) => a + w, 0);
    if (total <= left) return true;
    const j = this.cardLimit.length;
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i] as number;
      const w = ws[i] as number;
      this.cardLits.push(l);
      this.cardW.push(w);
      append(this.cardOcc, l, j, w);
      this.hasCard[l] = 1;
    }
    this.cardStart.push(this.cardLits.length);
    this.cardLimit.push(left);
    const heavy = ws.reduce((a, w, i) => (w > (ws[a] as number) ? i : a), 0);
    this.cardMaxW.push(ws[heavy] as number);
    this.cardHeavy.push(ls[heavy] as number);
    this.cardRestW.push(ws.reduce((a, w, i) => (i === heavy ? a : Math.max(a, w)), 0));
    this.cardSum.push(0);
    return true;
  }

  /** a binary clause added after freezing */
  private addBin(a: number, b: number): void {
    (this.bins[a] ??= []).push(b);
    (this.bins[b] ??= []).push(a);
    this.hasBins[a] = 1;
    this.hasBins[b] = 1;
  }

  private attach(c: Int32Array, learnt: boolean, lbd = 0): number {
    const i = this.nClauses++;
    if (i >= this.learnt.length) {
      const b = new Uint8Array(this.learnt.length * 2);
      b.set(this.learnt);
      this.learnt = b;
      const g = new Uint8Array(this.learnt.length);
      g.set(this.lbd);
      this.lbd = g;
      const st = new Int32Array(this.learnt.length);
      st.set(this.clauseStart);
      this.clauseStart = st;
      const sz = new Int32Array(this.learnt.length);
      sz.set(this.clauseSize);
      this.clauseSize = sz;
    }
    if (this.arenaUsed + c.length > this.arena.length) {
      const a = new Int32Array(Math.max(2 * this.arena.length, this.arenaUsed + c.length));
      a.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = a;
    }
    this.arena.set(c, this.arenaUsed);
    this.clauseStart[i] = this.arenaUsed;
    this.clauseSize[i] = c.length;
    this.arenaUsed += c.length;
    this.learnt[i] = learnt ? 1 : 0;
    this.lbd[i] = Math.min(lbd, 255);
    this.clauseActivity.push(0);
    append(this.watches, c[0] as number, i, c[1] as number);
    append(this.watches, c[1] as number, i, c[0] as number);
    if (learnt) this.nLearnt++;
    return i;
  }

  private assign(l: number, reason: number): void {
    const v = l >> 1;
    this.value[v] = l & 1 ? FALSE : TRUE;
    this.lv[l] = TRUE;
    this.lv[l ^ 1] = FALSE;
    this.level[v] = this.trailLim.length;
    this.reason[v] = reason;
    this.pos[v] = this.trailSize;
    this.assignments++;
    this.trail[this.trailSize++] = l;
  }

  private conflictBin: [number, number] = [0, 0];

  /**
   * Unit propagation; returns the conflicting clause's index, -2 for a binary one (in
   * conflictBin), -3 for an at-most constraint (in conflictCard), or -1.
   */
  private propagate(): number {
    while (this.head < this.trailSize) {
      const p = this.trail[this.head++] as number; // p became true, so ¬p is false
      const falseLit = p ^ 1;
      const lv = this.lv;
      if (this.hasCard[p] && this.propagateCards(p)) return -3;
      const binList = this.binList;
      const end = falseLit < this.binLits ? (this.binStart[falseLit + 1] as number) : 0;
      for (let k = falseLit < this.binLits ? (this.binStart[falseLit] as number) : 0; k < end; k++) {
        const q = binList[k] as number;
        const qv = lv[q] as number;
        if (qv === TRUE) continue;
        if (qv === FALSE) {
          this.conflictBin = [falseLit, q];
          return -2;
        }
        this.assign(q, -(falseLit + 1));
      }
      if (this.hasBins[falseLit]) for (const q of this.bins[falseLit] as number[]) {
        const qv = lv[q] as number;
        if (qv === TRUE) continue;
        if (qv === FALSE) {
          this.conflictBin = [falseLit, q];
          return -2;
        }
        this.assign(q, -(falseLit + 1));
      }
      const ws = this.watches[falseLit];
      if (!ws) continue;
      const arena = this.arena;
      const starts = this.clauseStart;
      const sizes = this.clauseSize;
      const n = ws.length;
      let i = 0;
      let j = 0;
      while (i < n) {
        const ci = ws[i] as number;
        const blocker = ws[i + 1] as number;
        i += 2;
        if (lv[blocker] === TRUE) {
          ws[j++] = ci;
          ws[j++] = blocker;
          continue;
        }
        const size = sizes[ci] as number;
        if (size === 0) continue; // deleted
        const b = starts[ci] as number;
        if (arena[b] === falseLit) {
          arena[b] = arena[b + 1] as number;
          arena[b + 1] = falseLit;
        }
        const first = arena[b] as number;
        const fv = lv[first] as number;
        if (fv === TRUE) {
          ws[j++] = ci;
          ws[j++] = first;
          continue;
        }
        let moved = false;
        for (let k = b + 2; k < b + size; k++) {
          const l = arena[k] as number;
          if (lv[l] !== FALSE) {
            arena[b + 1] = l;
            arena[k] = falseLit;
            append(this.watches, l, ci, first);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        ws[j++] = ci;
        ws[j++] = first;
        if (fv === FALSE) {
          while (i < n) ws[j++] = ws[i++] as number;
          if (j < n) ws.length = j;
          return ci;
        }
        this.assign(first, ci + 1);
      }
      if (j < n) ws.length = j;
    }
    return -1;
  }

  /**
   * p became true: counts it in its at-most constraints (all of them first, so that the
   * counts always cover exactly the trail up to `head`), then forces false what would break
   * one; true on a conflict.
   */
  private propagateCards(p: number): boolean {
    const occ = this.cardOcc[p] as number[];
    const sums = this.cardSum;
    for (let k = 0; k < occ.length; k += 2) sums[occ[k] as number] = (sums[occ[k] as number] as number) + (occ[k + 1] as number);
    const lv = this.lv;
    for (let k = 0; k < occ.length; k += 2) {
      const j = occ[k] as number;
      const sum = sums[j] as number;
      const limit = this.cardLimit[j] as number;
      if (sum > limit) {
        this.conflictCard = j;
        return true;
      }
      // nothing left to force unless an unset literal's weight would break the limit
      if (sum + ((lv[this.cardHeavy[j] as number] === UNDEF ? this.cardMaxW[j] : this.cardRestW[j]) as number) <= limit) continue;
      const end = this.cardStart[j + 1] as number;
      for (let i = this.cardStart[j] as number; i < end; i++) {
        const q = this.cardLits[i] as number;
        if (lv[q] === UNDEF && sum + (this.cardW[i] as number) > limit) this.assign(q ^ 1, CARD + j);
      }
    }
    return false;
  }

  /** The literals of constraint j true before trail position `before`, negated (a clause with the false literals of a reason or conflict). */
  private cardReason(j: number, before: number, out: number[]): void {
    const end = this.cardStart[j + 1] as number;
    for (let i = this.cardStart[j] as number; i < end; i++) {
      const q = this.cardLits[i] as number;
      if (this.lv[q] === TRUE && (this.pos[q >> 1] as number) < before) out.push(q ^ 1);
    }
  }

  /** `reasonLitsPlain`, bumping the reason clause's activity (conflict analysis uses it) */
  private reasonLits(v: number, out: number[]): void {
    const r = this.reason[v] as number;
    if (r > 0 && r < CARD) this.bumpClause(r - 1);
    this.reasonLitsPlain(v, out);
  }

  private analyze(conflict: number): { learnt: number[]; back: number; lbd: number } {
    const learnt: number[] = [0];
    const toClear: number[] = [];
    let pathCount = 0;
    let lits: number[] = [];
    if (conflict === -2) lits = [this.conflictBin[0], this.conflictBin[1]];
    else if (conflict === -3) this.cardReason(this.conflictCard, this.head, lits);
    else {
      this.bumpClause(conflict);
      const b = this.clauseStart[conflict] as number;
      lits = Array.from(this.arena.subarray(b, b + (this.clauseSize[conflict] as number)));
    }
    const current = this.trailLim.length;
    let index = this.trailSize - 1;
    let p = -1;
    for (;;) {
      for (const q of lits) {
        const v = q >> 1;
        if (this.seen[v] || (this.level[v] as number) === 0) continue;
        this.seen[v] = 1;
        toClear.push(v);
        this.bumpVar(v);
        if ((this.level[v] as number) >= current) pathCount++;
        else learnt.push(q);
      }
      while (!this.seen[(this.trail[index] as number) >> 1]) index--;
      p = this.trail[index] as number;
      index--;
      this.seen[p >> 1] = 0;
      pathCount--;
      if (pathCount <= 0) break;
      lits = [];
      this.reasonLits(p >> 1, lits);
    }
    learnt[0] = p ^ 1;
    // drop literals implied by the clause's other literals through chains of reasons (recursive minimisation)
    for (const v of toClear) this.seen[v] = 0;
    toClear.length = 0;
    let levels = 0;
    for (const l of learnt) {
      this.seen[l >> 1] = 1;
      toClear.push(l >> 1);
      levels |= 1 << ((this.level[l >> 1] as number) & 31);
    }
    const kept = [learnt[0] as number];
    for (let i = 1; i < learnt.length; i++) {
      const l = learnt[i] as number;
      if (this.reason[l >> 1] === 0 || !this.redundant(l, levels, toClear)) kept.push(l);
    }
    for (const v of toClear) this.seen[v] = 0;
    let back = 0;
    let at = 1;
    for (let i = 1; i < kept.length; i++) {
      const lv = this.level[(kept[i] as number) >> 1] as number;
      if (lv > back) {
        back = lv;
        at = i;
      }
    }
    if (kept.length > 1) {
      const t = kept[1] as number;
      kept[1] = kept[at] as number;
      kept[at] = t;
    }
    return { learnt: kept, back, lbd: this.lbdOf(kept) };
  }

  /**
   * Is literal p of a learnt clause implied by the clause's other literals through reasons
   * (MiniSat's litRedundant)? `levels` has a bit for each decision level in the clause: a
   * chain through a level the clause does not have cannot end in its literals.
   */
  private redundant(p: number, levels: number, toClear: number[]): boolean {
    const stack = [p];
    const top = toClear.length;
    const r: number[] = [];
    while (stack.length) {
      const q = stack.pop() as number;
      r.length = 0;
      this.reasonLitsPlain(q >> 1, r);
      for (const l of r) {
        const v = l >> 1;
        if (this.seen[v] || (this.level[v] as number) === 0) continue;
        if (this.reason[v] !== 0 && ((1 << ((this.level[v] as number) & 31)) & levels) !== 0) {
          this.seen[v] = 1;
          stack.push(l);
          toClear.push(v);
        } else {
          for (let j = top; j < toClear.length; j++) this.seen[toClear[j] as number] = 0;
          toClear.length = top;
          return false;
        }
      }
    }
    return true;
  }

  private reasonLitsPlain(v: number, out: number[]): void {
    const r = this.reason[v] as number;
    if (r >= CARD) this.cardReason(r - CARD, this.pos[v] as number, out);
    else if (r > 0) {
      const b = this.clauseStart[r - 1] as number;
      for (let k = b + 1; k < b + (this.clauseSize[r - 1] as number); k++) out.push(this.arena[k] as number);
    } else if (r < 0) out.push(-r - 1);
  }

  private cancelUntil(lvl: number): void {
    if (this.trailLim.length <= lvl) return;
    const stop = this.trailLim[lvl] as number;
    for (let i = this.trailSize - 1; i >= stop; i--) {
      const l = this.trail[i] as number;
      const v = l >> 1;
      if (i < this.head && this.hasCard[l]) {
        const occ = this.cardOcc[l] as number[];
        for (let k = 0; k < occ.length; k += 2) this.cardSum[occ[k] as number] = (this.cardSum[occ[k] as number] as number) - (occ[k + 1] as number);
      }
      this.phase[v] = this.value[v] as number as typeof TRUE;
      this.value[v] = UNDEF;
      this.lv[l] = UNDEF;
      this.lv[l ^ 1] = UNDEF;
      this.reason[v] = 0;
      if ((this.heapPos[v] as number) < 0 && this.decision[v]) this.heapInsert(v);
    }
    this.trailSize = stop;
    this.head = stop;
    this.trailLim.length = lvl;
  }

  private bumpVar(v: number): void {
    this.activity[v] = (this.activity[v] as number) + this.bump;
    if ((this.activity[v] as number) > 1e100) {
      for (let i = 0; i < this.nVars; i++) this.activity[i] = (this.activity[i] as number) * 1e-100;
      this.bump *= 1e-100;
    }
    const pos = this.heapPos[v] as number;
    if (pos >= 0) this.heapUp(pos);
  }

  private bumpClause(ci: number): void {
    if (!this.learnt[ci]) return;
    this.clauseActivity[ci] = (this.clauseActivity[ci] as number) + this.clauseBump;
    if ((this.clauseActivity[ci] as number) > 1e20) {
      for (let i = 0; i < this.clauseActivity.length; i++) this.clauseActivity[i] = (this.clauseActivity[i] as number) * 1e-20;
      this.clauseBump *= 1e-20;
    }
  }

  // ------------------------------------------------------------ heap of variables by activity
  private heapLess(a: number, b: number): boolean {
    const x = this.activity[a] as number;
    const y = this.activity[b] as number;
    return x > y || (x === y && a < b);
  }
  private heapInsert(v: number): void {
    this.heap[this.heapSize] = v;
    this.heapPos[v] = this.heapSize;
    this.heapUp(this.heapSize++);
  }
  private heapUp(i: number): void {
    const v = this.heap[i] as number;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = this.heap[p] as number;
      if (!this.heapLess(v, pv)) break;
      this.heap[i] = pv;
      this.heapPos[pv] = i;
      i = p;
    }
    this.heap[i] = v;
    this.heapPos[v] = i;
  }
  private heapPop(): number {
    const top = this.heap[0] as number;
    this.heapPos[top] = -1;
    const last = this.heap[--this.heapSize] as number;
    if (this.heapSize > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= this.heapSize) break;
        const r = l + 1;
        const c = r < this.heapSize && this.heapLess(this.heap[r] as number, this.heap[l] as number) ? r : l;
        if (!this.heapLess(this.heap[c] as number, last)) break;
        this.heap[i] = this.heap[c] as number;
        this.heapPos[this.heap[i] as number] = i;
        i = c;
      }
      this.heap[i] = last;
      this.heapPos[last] = i;
    }
    return top;
  }

  private levelStamp = new Int32Array(16);
  private stamp = 0;
  /** The literal block distance of a clause: how many decision levels its literals have (Audemard and Simon 2009). */
  private lbdOf(lits: readonly number[]): number {
    if (this.levelStamp.length <= this.trailLim.length) this.levelStamp = new Int32Array(2 * this.trailLim.length + 2);
    this.stamp++;
    let n = 0;
    for (const l of lits) {
      const lv = this.level[l >> 1] as number;
      if (this.levelStamp[lv] !== this.stamp) {
        this.levelStamp[lv] = this.stamp;
        n++;
      }
    }
    return n;
  }

  private reduceLearnt(): void {
    const cand: number[] = [];
    for (let i = 0; i < this.nClauses; i++) {
      if (!this.learnt[i] || (this.clauseSize[i] as number) <= 2) continue;
      if ((this.lbd[i] as number) <= GLUE) continue; // glue clauses stay
      const v = (this.arena[this.clauseStart[i] as number] as number) >> 1;
      if (this.reason[v] === i + 1 && this.value[v] !== UNDEF) continue; // locked
      cand.push(i);
    }
    // the half with the most decision levels, and of those the least active, goes
    cand.sort((a, b) => (this.lbd[b] as number) - (this.lbd[a] as number) || (this.clauseActivity[a] as number) - (this.clauseActivity[b] as number) || a - b);
    const drop = new Set(cand.slice(0, cand.length >> 1));
    for (const i of drop) {
      this.clauseSize[i] = 0;
      this.nLearnt--;
    }
    for (const ws of this.watches) {
      if (!ws) continue;
      let j = 0;
      for (let i = 0; i < ws.length; i += 2) {
        if (drop.has(ws[i] as number)) continue;
        ws[j++] = ws[i] as number;
        ws[j++] = ws[i + 1] as number;
      }
      ws.length = j;
    }
  }

  /**
   * true: satisfiable (see `isTrue`); false: unsatisfiable — or, with `assumptions`
   * (literals decided first, in order), unsatisfiable with them, the formula itself not
   * (`addClause` of the negated assumption then still succeeds); null: the budget is spent —
   * `maxConflicts` more conflicts, or `maxAssignments` more assignments (the work of
   * propagation, which one conflict may need a hundred or many thousand of).
   */
  solve(maxConflicts: number, maxAssignments = Infinity, assumptions: readonly number[] = []): boolean | null {
    if (!this.ok) return false;
    this.freeze();
    this.cancelUntil(0);
    const limit = this.conflicts + maxConflicts;
    const work = this.assignments + maxAssignments;
    let restart = 1;
    let budget = luby(restart) * RESTART_UNIT;
    let maxLearnt = Math.max(2000, this.nClauses / 3);
    for (;;) {
      const conflict = this.propagate();
      if (conflict !== -1) {
        this.conflicts++;
        if (this.trailLim.length === 0) return (this.ok = false);
        this.updateTarget(this.trailLim[this.trailLim.length - 1] as number);
        const { learnt, back, lbd } = this.analyze(conflict);
        this.cancelUntil(back);
        if (learnt.length === 1) this.assign(learnt[0] as number, 0);
        else if (learnt.length === 2) {
          this.addBin(learnt[0] as number, learnt[1] as number);
          this.assign(learnt[0] as number, -((learnt[1] as number) + 1));
        } else {
          const ci = this.attach(Int32Array.from(learnt), true, lbd);
          this.bumpClause(ci);
          this.assign(learnt[0] as number, ci + 1);
        }
        this.bump /= 0.95;
        this.clauseBump /= 0.999;
        if (this.conflicts >= limit || this.assignments >= work) return null;
        if (--budget <= 0) {
          this.cancelUntil(0);
          this.targetAssigned = 0;
          budget = luby(++restart) * RESTART_UNIT;
        }
        if (this.nLearnt > maxLearnt) {
          this.reduceLearnt();
          maxLearnt *= 1.1;
        }
        continue;
      }
      const level = this.trailLim.length;
      if (level < assumptions.length) {
        const a = assumptions[level] as number;
        const v = this.litValue(a);
        if (v === FALSE) return false;
        // a level of its own even when already true, so that level i holds assumption i
        this.trailLim.push(this.trailSize);
        if (v === UNDEF) {
          this.decisions++;
          this.assign(a, 0);
        }
        continue;
      }
      let next = -1;
      while (this.heapSize > 0) {
        const v = this.heapPop();
        if (this.value[v] === UNDEF) {
          next = v;
          break;
        }
      }
      if (next < 0) {
        // the next call (with more clauses) sets out from this model
        this.target.set(this.value.subarray(0, this.nVars));
        this.targetAssigned = 0;
        return true;
      }
      this.decisions++;
      this.trailLim.push(this.trailSize);
      const ph = this.target[next] !== UNDEF ? this.target[next] : this.phase[next];
      this.assign(2 * next + (ph === TRUE ? 0 : 1), 0);
    }
  }

  /** A conflict: the trail's first `consistent` literals were propagated without one. */
  private updateTarget(consistent: number): void {
    if (consistent <= this.targetAssigned) return;
    for (let i = 0; i < consistent; i++) {
      const l = this.trail[i] as number;
      this.target[l >> 1] = l & 1 ? FALSE : TRUE;
    }
    this.targetAssigned = consistent;
  }

  /** Moves the binary clauses collected so far into compact adjacency arrays. */
  private freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    const n = 2 * this.nVars;
    const count = new Int32Array(n + 1);
    const pairs = this.binPairs;
    for (let i = 0; i < pairs.length; i++) {
      const k = (pairs[i] as number) + 1;
      count[k] = (count[k] as number) + 1;
    }
    for (let l = 0; l < n; l++) count[l + 1] = (count[l + 1] as number) + (count[l] as number);
    const list = new Int32Array(pairs.length);
    const fill = count.slice(0, n);
    for (let i = 0; i < pairs.length; i += 2) {
      const a = pairs[i] as number;
      const b = pairs[i + 1] as number;
      list[fill[a] as number] = b;
      fill[a] = (fill[a] as number) + 1;
      list[fill[b] as number] = a;
      fill[b] = (fill[b] as number) + 1;
    }
    this.binStart = count;
    this.binLits = n;
    this.binList = list;
    this.binPairs = [];
    this.head = 0; // units found while loading clauses meet the binary clauses now …
    this.cardSum.fill(0); // … and are counted again
  }

  /** The assignment found last, one byte per variable (1 true). */
  model(): Uint8Array {
    const out = new Uint8Array(this.nVars);
    for (let v = 0; v < this.nVars; v++) out[v] = this.value[v] === TRUE ? 1 : 0;
    return out;
  }

  isTrue(v: number): boolean {
    return this.value[v] === TRUE;
  }
}

/**
 * Appends a pair to lists[k]. A new list holds just the pair: `[]` then push reserves room
 * for 17 elements, and the 190,000 lists of a large model's at-most constraints, most with
 * one or two pairs, then took 33 MB instead of a few (own 5,000 `tight` with students).
 */
function append(lists: (number[] | null)[], k: number, a: number, b: number): void {
  const list = lists[k];
  if (list) list.push(a, b);
  else lists[k] = [a, b];
}

/** The Luby sequence 1 1 2 1 1 2 4 1 1 2 … (restart lengths). */
export function luby(i: number): number {
  for (let k = 1; ; k++) {
    if (i === (1 << k) - 1) return 1 << (k - 1);
    if (i < (1 << k) - 1) return luby(i - (1 << (k - 1)) + 1);
  }
}
