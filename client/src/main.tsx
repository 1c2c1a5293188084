import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { api, SESSION_ENDED, type Me } from './api.js';
import { Avatar } from './components/Avatar.js';
import { t } from './i18n.js';
import { Admin } from './pages/Admin.js';
import { Forgot } from './pages/Forgot.js';
import { Login } from './pages/Login.js';
import { Register } from './pages/Register.js';
import { Settings } from './pages/Settings.js';
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
      {user === undefined ? (
        // Neither state until /me has answered: no flash of 登录/注册 for a logged-in visitor.
        <nav aria-busy="true" id="nav-pending">
          <span class="nav-placeholder" />
        </nav>
      ) : user ? (
        <nav>
          <a href={`/space/${user.uid}`} id="nav-space">
            {t.mySpace}
          </a>
          {user.role === 'admin' && (
            <a href="/admin" id="nav-admin">
              {t.admin}
            </a>
          )}
          <a href="/settings" id="nav-settings">
            {t.settings}
          </a>
          <a class="who-chip" href="/settings" title={t.settings} id="nav-me">
            <Avatar user={user} small id="nav-avatar" />
            <span class="who" id="nav-user">
              {user.username}
            </span>
          </a>
          <button type="button" class="secondary small" id="logout" onClick={() => void logout()}>
            {t.logout}
          </button>
        </nav>
      ) : (
        <nav>
          <a href="/login" id="nav-login">
            {t.login}
          </a>
          <a href="/register" id="nav-register">
            {t.register}
          </a>
        </nav>
      )}
    </header>
  );
}

function Home() {
  const { user } = useSession();
  const { route, query } = useLocation();
  useTitle();
  useEffect(() => {
    if (user) route(`/space/${user.uid}`, true);
  }, [user]);
  if (user === undefined || user) return <p class="loading">{t.loading}</p>;
  return (
    <section class="card narrow hero">
      {'deleted' in query && (
        <p class="success" role="status" id="account-deleted">
          {t.accountDeleted}
        </p>
      )}
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
  return (
    <section class="card narrow state">
      <p>{t.notFound}</p>
      <a href="/">{t.brand}</a>
    </section>
  );
}

function App() {
  const [user, setUser] = useState<Me | null | undefined>(undefined);
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
    const ended = () => setUser(null);
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, []);
  return (
    <SessionContext.Provider value={{ user, refresh, update: setUser }}>
      <LocationProvider>
        <Header />
        <main>
          <Router>
            <Route path="/" component={Home} />
            <Route path="/login" component={Login} />
            <Route path="/register" component={Register} />
            <Route path="/forgot" component={Forgot} />
            <Route path="/settings" component={Settings} />
            <Route path="/admin" component={Admin} />
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
