import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { api, type User } from './api.js';
import { t } from './i18n.js';
import { Login } from './pages/Login.js';
import { Register } from './pages/Register.js';
import { Space } from './pages/Space.js';
import { VideoPage } from './pages/VideoPage.js';
import { SessionContext, useSession } from './session.js';
import { useTitle } from './title.js';
import './styles.css';

function Header() {
  const { user, refresh } = useSession();
  const { route } = useLocation();
  const logout = async () => {
    await api.logout().catch(() => undefined);
    await refresh();
    route('/login');
  };
  return (
    <header class="top">
      <a class="brand" href="/">
        {t.brand}
      </a>
      <nav>
        {user ? (
          <>
            <a href={`/space/${user.uid}`} id="nav-space">
              {t.mySpace}
            </a>
            <span class="who" id="nav-user">
              {user.username}
            </span>
            <button type="button" class="secondary small" id="logout" onClick={() => void logout()}>
              {t.logout}
            </button>
          </>
        ) : (
          <>
            <a href="/login" id="nav-login">
              {t.login}
            </a>
            <a href="/register" id="nav-register">
              {t.register}
            </a>
          </>
        )}
      </nav>
    </header>
  );
}

function Home() {
  const { user } = useSession();
  const { route } = useLocation();
  useTitle();
  useEffect(() => {
    if (user) route(`/space/${user.uid}`, true);
  }, [user]);
  if (user === undefined || user) return <p class="loading">{t.loading}</p>;
  return (
    <section class="card narrow hero">
      <h1>{t.brand}</h1>
      <p>{t.welcome}</p>
      <a class="button" href="/register">
        {t.start}
      </a>
    </section>
  );
}

function NotFound() {
  useTitle(t.notFound);
  return <p class="card">{t.notFound}</p>;
}

function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    const me = await api.me().then(
      (reply) => reply.user,
      () => null,
    );
    setUser(me);
    return me;
  }, []);
  useEffect(() => {
    void refresh();
  }, []);
  return (
    <SessionContext.Provider value={{ user, refresh }}>
      <LocationProvider>
        <Header />
        <main>
          <Router>
            <Route path="/" component={Home} />
            <Route path="/login" component={Login} />
            <Route path="/register" component={Register} />
            <Route path="/space/:uid" component={Space} />
            <Route path="/video/:id" component={VideoPage} />
            <Route default component={NotFound} />
          </Router>
        </main>
      </LocationProvider>
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
