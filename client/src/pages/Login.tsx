import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api.js';
import { Field } from '../components/Field.js';
import { FormError } from '../components/FormError.js';
import { hasErrors, LOCK_MINUTES, missing, type Errors } from '../forms.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

export function Login() {
  const { route } = useLocation();
  const { refresh } = useSession();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors<'user' | 'password'>>({});
  const [busy, setBusy] = useState(false);
  useTitle(t.login);

  const submit = async (event: Event) => {
    event.preventDefault();
    // An empty field never reaches the server (it would answer 请先注册).
    const empty = missing({ user, password }, ['user', 'password']);
    setErrors(empty);
    if (hasErrors(empty)) return;
    setBusy(true);
    try {
      const { uid } = await api.login(user, password);
      await refresh();
      route(`/space/${uid}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.errno < 0) setErrors({ form: t.networkError });
      else if (error.errno === 1002) setErrors({ password: error.message });
      else if (error.errno === 1005) setErrors({ form: t.lockedFor(LOCK_MINUTES) });
      else if (error.errno === 1012) setErrors({ form: t.accountDisabled });
      else if (error.errno === 1001) setErrors({ user: error.message });
      else setErrors({ form: error.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow" onSubmit={(event) => void submit(event)} noValidate>
      <h1>{t.login}</h1>
      <Field id="user" label={t.emailOrUid} value={user} onInput={setUser} error={errors.user} autoComplete="username" required />
      <Field
        id="password"
        label={t.password}
        type="password"
        value={password}
        onInput={setPassword}
        error={errors.password}
        autoComplete="current-password"
        required
      />
      <p class="forgot">
        <a href="/forgot" id="forgot-link">
          {t.forgot}
        </a>
      </p>
      <FormError message={errors.form} />
      <button type="submit" id="login-submit" disabled={busy}>
        {t.submitLogin}
      </button>
      <p class="aside">
        <a href="/register">{t.noAccount}</a>
      </p>
    </form>
  );
}
