/** Boot: the runtime configuration, the API client, the sign-in mode, then the app. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ApiError, initApi } from './api/client';
import { createAuth } from './auth';
import { isGuardianSession, resumeGuardianSession } from './auth/guardian';
import { loadConfig } from './config';
import './i18n';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  const config = await loadConfig();
  initApi(config.apiBase, config.guardianApiBase ? { baseUrl: config.guardianApiBase, active: isGuardianSession } : undefined);
  await resumeGuardianSession();
  const queries = new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        // a 4xx will not change by asking again
        retry: (n, e) => n < 2 && !(e instanceof ApiError && e.problem.status >= 400 && e.problem.status < 500),
      },
    },
  });
  root.render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <App auth={createAuth(config)} />
      </QueryClientProvider>
    </StrictMode>,
  );
} catch (e) {
  root.render(<p role="alert">{(e as Error).message}</p>);
}
