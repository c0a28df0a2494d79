/**
 * Opaque page cursors. A cursor is the last key of a page; it is accepted only for the
 * same partition it came from, so it cannot be used to walk another school's data.
 */
import { InvalidInput } from '@kehou/domain';

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

export function decodeCursor(
  cursor: string | undefined,
  partition: { attr: string; value: string },
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw InvalidInput.at(['query', 'cursor'], 'is not a cursor this list gave out');
  }
  const ok =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.values(key).every((v) => typeof v === 'string') &&
    (key as Record<string, string>)[partition.attr] === partition.value;
  if (!ok) throw InvalidInput.at(['query', 'cursor'], 'is not a cursor this list gave out');
  return key as Record<string, unknown>;
}
