/**
 * One JSON line per event, for CloudWatch. Never logs bodies, names or phone numbers:
 * only routes, statuses, timings and ids. LOG_LEVEL (read once) silences lower levels.
 */
type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const threshold = ORDER[(process.env.LOG_LEVEL as Level | undefined) ?? 'info'] ?? ORDER.info;

export function log(level: Exclude<Level, 'silent'>, msg: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold) return;
  const out: Record<string, unknown> = { level, msg, ...fields };
  if (fields.error instanceof Error)
    out.error = { name: fields.error.name, message: fields.error.message, stack: fields.error.stack };
  (level === 'error' ? process.stderr : process.stdout).write(`${JSON.stringify(out)}\n`);
}
