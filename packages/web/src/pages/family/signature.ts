/** A drawn signature as the API takes it: an SVG path of strokes in a 300 × 120 box. Pure. */
export const PAD = { width: 300, height: 120 };
/** points closer than this to the last one are dropped: a steady hand makes no more bytes */
const STEP = 2;

export type Point = readonly [number, number];

/** A point of the pad's box from a point on the element shown `w` × `h` (clamped, whole units). */
export function toPad(x: number, y: number, w: number, h: number): Point {
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
  return [clamp((x / w) * PAD.width, PAD.width), clamp((y / h) * PAD.height, PAD.height)];
}

/** Adds a point to a stroke unless it is next to the last one. */
export function extend(stroke: Point[], p: Point): boolean {
  const last = stroke.at(-1);
  if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < STEP) return false;
  stroke.push(p);
  return true;
}

/** "M10 20 L30 40 …": each stroke a move then lines (a dot: a line to itself). */
export function pathOf(strokes: readonly (readonly Point[])[]): string {
  return strokes
    .filter((s) => s.length > 0)
    .map((s) => {
      const [first, ...rest] = s;
      const line = (rest.length ? rest : [first!]).map(([x, y]) => `${x} ${y}`).join(' ');
      return `M${first![0]} ${first![1]} L${line}`;
    })
    .join(' ');
}
