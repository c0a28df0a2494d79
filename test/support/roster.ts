/** Rosters as schools send them: CSV with Chinese headers (as Excel saves it, with a BOM and CRLF). */
import type { ImportRow } from '@kehou/domain';

const HEAD = ['学号', '姓名', '年级', '班级', ...[1, 2, 3, 4].flatMap((n) => [`家长${n}姓名`, `家长${n}电话`, `家长${n}关系`])];
const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A CSV of the rows, with columns for `guardians` guardians a row (1–4). */
export function toCsv(rows: readonly ImportRow[], guardians = 2): string {
  const lines = rows.map((r) =>
    [
      r.studentNo,
      r.name,
      String(r.gradeLevel),
      r.homeroom,
      ...Array.from({ length: guardians }, (_, i) => [
        r.guardians[i]?.name ?? '',
        r.guardians[i]?.phone ?? '',
        r.guardians[i]?.relation ?? '',
      ]).flat(),
    ]
      .map(q)
      .join(','),
  );
  return `\uFEFF${HEAD.slice(0, 4 + 3 * guardians).join(',')}\r\n${lines.join('\r\n')}\r\n`;
}
