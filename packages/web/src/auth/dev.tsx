/**
 * npm start's sign-in: the local server lists the demo users of each role and signs a token
 * for the one chosen with its development key (`/_dev/…`: local only, never deployed).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readProblem } from '../api/problem';
import { PATHS } from '../paths';
import { navigate } from '../router';
import { Page } from '../shell/Page';
import type { Auth } from './index';
import { session } from './session';

/** A user the local server offers (packages/local/src/web.ts). */
export interface DevUser {
  role: 'admin' | 'teacher' | 'volunteer' | 'parent' | 'district';
  userId: string;
  schoolId?: string;
  schoolName?: string;
  district?: string;
}

async function devCall<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const out = (await res.json()) as unknown;
  if (!res.ok) throw new Error(readProblem(res.status, out).detail);
  return out as T;
}

const ROLE_ORDER: DevUser['role'][] = ['admin', 'teacher', 'volunteer', 'parent', 'district'];

function DevSignIn() {
  const { t } = useTranslation();
  const [failed, setFailed] = useState<string | null>(null);
  // while npm start loads the demo school the server answers 503: ask again every few seconds
  const users = useQuery({
    queryKey: ['dev-users'],
    queryFn: () => devCall<{ users: DevUser[] }>('/_dev/users'),
    retry: true,
    retryDelay: 3000,
  });
  const signIn = async (u: DevUser) => {
    try {
      setFailed(null);
      session.set((await devCall<{ token: string }>('/_dev/sign-in', u)).token);
      if (location.pathname === PATHS.signIn) navigate(PATHS.home, { replace: true });
    } catch (e) {
      setFailed((e as Error).message);
    }
  };
  const list = users.data?.users ?? [];
  return (
    <Page title={t('signIn.title')}>
      <p>{t('signIn.devIntro')}</p>
      {users.isPending && (
        <p role="status">{users.failureCount ? `${t('signIn.waiting')} ${users.failureReason?.message ?? ''}` : t('loading')}</p>
      )}
      {failed && <p role="alert">{failed}</p>}
      {users.data && !list.some((u) => u.schoolId) && <p className="hint">{t('signIn.noDemo')}</p>}
      <div className="cards">
        {ROLE_ORDER.filter((r) => list.some((u) => u.role === r)).map((role) => (
          <section key={role} className="card" aria-labelledby={`role-${role}`}>
            <h2 id={`role-${role}`}>{t(`role.${role}`)}</h2>
            <ul className="plain">
              {list
                .filter((u) => u.role === role)
                .map((u) => (
                  <li key={`${u.userId}@${u.schoolId ?? u.district}`}>
                    <button type="button" className="wide" onClick={() => void signIn(u)}>
                      {t('signIn.as', { user: u.userId, where: u.schoolName ?? u.district })}
                    </button>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    </Page>
  );
}

export function devAuth(): Auth {
  return {
    mode: 'dev',
    SignIn: DevSignIn,
    signOut() {
      session.clear();
      navigate(PATHS.signIn, { replace: true });
    },
  };
}
