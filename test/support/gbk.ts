/**
 * Text as Chinese Excel saves "CSV": GBK bytes. Node encodes only UTF-8, so the table is
 * made from the WHATWG GBK decoder, every two-byte code once (about 24,000); ASCII is
 * itself. Pinned by a known code: 学号 is D1A7 BAC5.
 */
let table: Map<string, [number, number]> | null = null;

function codes(): Map<string, [number, number]> {
  if (table) return table;
  const decoder = new TextDecoder('gbk', { fatal: true });
  table = new Map();
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        if (!table.has(ch)) table.set(ch, [lead, trail]);
      } catch {
        // not a code
      }
    }
  return table;
}

export function gbk(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const pair = codes().get(ch);
      if (!pair) throw new Error(`"${ch}" has no GBK code`);
      out.push(...pair);
    }
  }
  return Buffer.from(out);
}
