/**
 * `npm run -s token -- --role admin --school <id> [--user <id>] [--district <id>] [--hours 12] [--data-dir .data]`
 * Prints a token signed by the local dev key (the one `npm start` trusts: the same `--data-dir`).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@kehou/domain';
import { DEFAULT_DATA_DIR } from './app';
import { loadOrCreateDevKey, signToken } from './devkey';

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      school: { type: 'string', multiple: true },
      district: { type: 'string' },
      user: { type: 'string' },
      hours: { type: 'string', default: '12' },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'district' && !values.district) throw new Error('a district token needs --district <id>');
  if (role !== 'district' && !values.school?.length)
    throw new Error(`a ${role} token needs --school <id> (repeat it for several schools)`);
  const hours = Number(values.hours);
  if (!(hours > 0 && hours <= 24 * 30)) throw new Error('--hours must be between 0 and 720');
  const file = join(resolve(values['data-dir']), 'dev-key.json');
  // made by `npm start`; a new one here would sign tokens no server trusts
  if (!existsSync(file))
    throw new Error(`there is no development key ${file}: start the API first, and give both the same --data-dir`);
  const key = await loadOrCreateDevKey(file);
  const token = await signToken(key, {
    role,
    ...(values.user ? { userId: values.user } : {}),
    schools: (values.school ?? []).flatMap((s) => s.split(',')).filter(Boolean),
    ...(values.district ? { district: values.district } : {}),
    seconds: Math.round(hours * 3600),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`token: ${(e as Error).message}\n`);
  process.exit(2);
});
