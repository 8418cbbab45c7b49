import { useMemo, useState } from 'preact/hooks';
import { awsClients } from './api/aws-clients';
import { clearSession, loadSession, type Session } from './api/session';
import { ConsoleContextProvider } from './console-context';
import { AuditPage } from './pages/audit';
import { CreateKeyPage } from './pages/create-key';
import { ExplainPage } from './pages/explain';
import { IdentitiesPage } from './pages/identities';
import { KeyDetailPage } from './pages/key-detail';
import { KeysPage } from './pages/keys';
import { SignInPage } from './pages/sign-in';
import { hrefOf, useRoute, type Route } from './routing';

const NAVIGATION: readonly (readonly [Route['page'], string])[] = [
  ['keys', 'Keys'],
  ['audit', 'Audit trail'],
  ['identities', 'Identities'],
  ['explain', 'Why denied?'],
];

/** The console: sign-in until there is a session, then the pages behind a navigation bar. */
export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const clients = useMemo(() => (session ? awsClients(session) : undefined), [session]);
  const route = useRoute();
  if (!session || !clients) return <SignInPage onSignedIn={setSession} />;
  const signOut = () => {
    clearSession();
    setSession(undefined);
  };
  return (
    <ConsoleContextProvider.Provider value={{ session, clients }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <a class="brand" href={hrefOf({ page: 'keys' })}>
          Strongroom
        </a>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION.map(([page, label]) => (
              <li key={page}>
                <a href={`#/${page}`} aria-current={sectionOf(route) === page ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span title={session.arn}>
            {session.arn.split(':').slice(4).join(':')} · {session.region}
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        <CurrentPage route={route} />
      </main>
    </ConsoleContextProvider.Provider>
  );
}

function sectionOf(route: Route): Route['page'] {
  return route.page === 'key' || route.page === 'create-key' ? 'keys' : route.page;
}

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'keys':
      return <KeysPage />;
    case 'create-key':
      return <CreateKeyPage />;
    case 'key':
      return <KeyDetailPage keyId={route.keyId} />;
    case 'audit':
      return <AuditPage />;
    case 'identities':
      return <IdentitiesPage />;
    case 'explain':
      return <ExplainPage />;
  }
}
