/**
 * The exact optimum of an allocation instance, by an integer program solved with HiGHS (the
 * `highs` package: the solver compiled to WebAssembly, run in this process). For the benchmark
 * and the tests only: the product never loads it.
 *
 * Variables: x = 1 when a child gets one of its choices (those it could get: seats left, not
 * held, no clash with a held class), y = 1 when a child holding no class gets at least one.
 * Rows: seats left per class; at most placesPerChild classes per child, counting those held;
 * no two clashing choices for one child; y ≤ the child's x. Objectives, lexicographic (each
 * stage keeps the previous optimum as a row, no gap allowed): most children placed, then most
 * places granted, then the least sum of ranks.
 */
import loadHighs from 'highs';
import { AllocationInput, type AllocationClass } from '../src/allocation';
import { minutesOf } from '../src/time';

export interface ExactOptimum {
  /** children holding at least one class (held before or granted) */
  placed: number;
  granted: number;
  rankSum: number;
  ms: number;
}

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Promise<Highs> | undefined;

const overlaps = (a: AllocationClass, b: AllocationClass) =>
  a.slots.some((x) =>
    b.slots.some((y) => x.day === y.day && minutesOf(x.start)! < minutesOf(y.end)! && minutesOf(y.start)! < minutesOf(x.end)!),
  );

export async function exactOptimum(raw: AllocationInput): Promise<ExactOptimum> {
  const solver = await (highs ??= loadHighs());
  const t0 = performance.now();
  const input = AllocationInput.parse(raw);
  const byId = new Map(input.classes.map((c) => [c.id, c]));
  const classIndex = new Map(input.classes.map((c, i) => [c.id, i]));

  const xRank: number[] = [];
  const capacity: number[][] = input.classes.map(() => []);
  const rows: { cols: number[]; coef: number[]; lower: number; upper: number }[] = [];
  const ys: number[] = [];
  const yRows: { y: number; xs: number[] }[] = [];
  let alreadyPlaced = 0;
  for (const child of input.children) {
    const held = child.held.map((id) => byId.get(id)!);
    if (held.length) alreadyPlaced++;
    const quota = input.placesPerChild - held.length;
    if (quota <= 0) continue;
    const mine: { col: number; cls: AllocationClass }[] = [];
    child.choices.forEach((id, r) => {
      const cls = byId.get(id)!;
      if (cls.seatsLeft === 0 || held.some((h) => overlaps(h, cls))) return;
      const col = xRank.length;
      xRank.push(r + 1);
      capacity[classIndex.get(id)!]!.push(col);
      mine.push({ col, cls });
    });
    if (!mine.length) continue;
    if (mine.length > quota) rows.push({ cols: mine.map((m) => m.col), coef: mine.map(() => 1), lower: -Infinity, upper: quota });
    for (let a = 0; a < mine.length; a++)
      for (let b = a + 1; b < mine.length; b++)
        if (overlaps(mine[a]!.cls, mine[b]!.cls))
          rows.push({ cols: [mine[a]!.col, mine[b]!.col], coef: [1, 1], lower: -Infinity, upper: 1 });
    if (!held.length) yRows.push({ y: -1, xs: mine.map((m) => m.col) });
  }
  const nx = xRank.length;
  for (const r of yRows) {
    r.y = nx + ys.length;
    ys.push(r.y);
    rows.push({ cols: [r.y, ...r.xs], coef: [1, ...r.xs.map(() => -1)], lower: -Infinity, upper: 0 });
  }
  capacity.forEach((cols, c) => {
    if (cols.length > input.classes[c]!.seatsLeft)
      rows.push({ cols, coef: cols.map(() => 1), lower: -Infinity, upper: input.classes[c]!.seatsLeft });
  });

  const numCols = nx + ys.length;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    indices.push(...r.cols);
    values.push(...r.coef);
    starts.push(indices.length);
  }
  const inf = solver.infinity;
  const model = solver.createModel({
    numCols,
    numRows: rows.length,
    sense: solver.constants.objectiveSense.maximize,
    colCost: Array.from({ length: numCols }, (_, j) => (j >= nx ? 1 : 0)),
    colLower: new Array<number>(numCols).fill(0),
    colUpper: new Array<number>(numCols).fill(1),
    rowLower: rows.map((r) => (r.lower === -Infinity ? -inf : r.lower)),
    rowUpper: rows.map((r) => r.upper),
    matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
    integrality: new Array(numCols).fill(solver.constants.variableType.integer),
  });
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0 });
    const run = () => {
      model.run();
      const status = model.getModelStatus();
      if (status !== solver.constants.modelStatus.optimal && status !== solver.constants.modelStatus.empty)
        throw new Error(`HiGHS ended with model status ${status}`);
      return Math.round(numCols ? model.getObjectiveValue() : 0);
    };
    const all = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
    const keep = (cols: number[], atLeast: number) => {
      if (cols.length) model.addRow(atLeast, inf, { indices: cols, values: cols.map(() => 1) });
    };

    const newlyPlaced = run(); // stage 1: children placed
    keep(ys, newlyPlaced);
    for (let j = 0; j < numCols; j++) model.changeColCost(j, j < nx ? 1 : 0);
    const granted = run(); // stage 2: places granted
    keep(all(0, nx), granted);
    model.changeObjectiveSense(solver.constants.objectiveSense.minimize);
    for (let j = 0; j < nx; j++) model.changeColCost(j, xRank[j]!);
    const rankSum = granted ? run() : 0; // stage 3: ranks
    return { placed: alreadyPlaced + newlyPlaced, granted, rankSum, ms: performance.now() - t0 };
  } finally {
    model.dispose();
  }
}
