import { t } from '../i18n.js';

/** A page that needs a login, seen without one: what to do instead of an empty page. */
export function LoginRequired() {
  return (
    <section class="card narrow state">
      <p>{t.loginRequired}</p>
      <a class="button" href="/login">
        {t.login}
      </a>
    </section>
  );
}
