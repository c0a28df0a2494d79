/** Signed out: the sign-in page. Signed in: who the user is (/me), their school, their pages. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, type School } from './api/client';
import type { Auth } from './auth';
import { session } from './auth/session';
import { inviteToken, InvitePage } from './pages/family/routes';
import { PATHS } from './paths';
import { navigate, Redirect, usePath } from './router';
import { routesFor, type PageContext } from './routes';
import { Page } from './shell/Page';
import { Shell } from './shell/Shell';
import { LoadError, Loading } from './shell/Status';

const SCHOOL_KEY = 'kehou.school';
const signedIn = () => session.token() !== null;

export function App({ auth }: { auth: Auth }) {
  const path = usePath();
  const isSignedIn = useSyncExternalStore(session.subscribe, signedIn);
  const queries = useQueryClient();
  // another user may sign in next: nothing of this one's stays in the cache. Cleared when the
  // session ends, not when the sign-in page shows: that would cancel the page's own queries.
  useEffect(
    () =>
      session.subscribe(() => {
        if (!signedIn()) queries.clear();
      }),
    [queries],
  );
  const invite = inviteToken(path);
  if (invite)
    return (
      <Shell>
        <Suspense fallback={<Loading />}>
          <InvitePage token={invite} />
        </Suspense>
      </Shell>
    );
  if (path === PATHS.callback && auth.completeSignIn) return <Callback auth={auth} />;
  if (!isSignedIn)
    return (
      <Shell>
        <auth.SignIn />
      </Shell>
    );
  return <SignedIn auth={auth} path={path} />;
}

function Callback({ auth }: { auth: Auth }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    auth.completeSignIn!(new URL(location.href)).then(
      (to) => navigate(to, { replace: true }),
      (e: Error) => setFailed(e.message),
    );
  }, [auth]);
  return (
    <Shell>
      <Page title={t('signIn.title')}>
        {failed ? (
          <>
            <p role="alert">{t('signIn.failed', { why: failed })}</p>
            <button type="button" onClick={() => navigate(PATHS.signIn, { replace: true })}>
              {t('signIn.again')}
            </button>
          </>
        ) : (
          <Loading />
        )}
      </Page>
    </Shell>
  );
}

function SignedIn({ auth, path }: { auth: Auth; path: string }) {
  const { t } = useTranslation();
  const me = useQuery({ queryKey: ['me'], queryFn: () => data(api().GET('/me')) });
  const schools = useQuery({
    queryKey: ['schools'],
    queryFn: () => data(api().GET('/schools', { params: { query: { limit: 100 } } })),
  });
  const [chosen, setChosen] = useState(() => sessionStorage.getItem(SCHOOL_KEY));
  const choose = (id: string) => {
    sessionStorage.setItem(SCHOOL_KEY, id);
    setChosen(id);
  };
  const shell = (children: ReactNode, extra: Partial<Parameters<typeof Shell>[0]> = {}) => (
    <Shell onSignOut={() => auth.signOut()} {...extra}>
      {children}
    </Shell>
  );
  if (me.error || schools.error) return shell(<LoadError error={(me.error ?? schools.error)!} />);
  if (!me.data || !schools.data) return shell(<Loading />);

  // a bureau sees its district's schools in the list; the header's choice is among one's own
  const own = schools.data.items.filter((s) => me.data.schools.some((m) => m.schoolId === s.id));
  const byId = new Map<string, School>(schools.data.items.map((s) => [s.id, s]));
  const school = own.find((s) => s.id === chosen) ?? own[0];
  const ctx: PageContext = {
    me: me.data,
    ...(school ? { school } : {}),
    schools: byId,
    roles: me.data.schools.find((m) => m.schoolId === school?.id)?.roles ?? [],
  };
  const routes = routesFor(ctx);
  const title = school?.name ?? (me.data.district ? t('shell.bureau', { district: me.data.district }) : undefined);
  const frame = {
    ...(title ? { title } : {}),
    schools: own,
    ...(school ? { schoolId: school.id } : {}),
    onSchool: choose,
    nav: routes.map((r) => ({ to: r.path, label: t(r.label) })),
  };
  if (path === PATHS.home || path === PATHS.signIn) {
    const first = routes[0];
    if (first) return shell(<Redirect to={first.path} />, frame);
    return shell(
      <Page title={t('home.title')}>
        <p>{t('home.nothing')}</p>
      </Page>,
      frame,
    );
  }
  const route = routes.find((r) => r.path === path);
  return shell(
    route ? (
      <Suspense fallback={<Loading />}>
        <route.page ctx={ctx} key={school?.id} />
      </Suspense>
    ) : (
      <Page title={t('notFound.title')}>
        <p>{t('notFound.text')}</p>
      </Page>
    ),
    frame,
  );
}
