import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api.js';
import { Field } from '../components/Field.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

type FieldName = 'email' | 'code' | 'username' | 'password1' | 'password2' | 'form';

/** Which field an errno concerns. */
const FIELD_OF: Record<number, FieldName> = {
  1001: 'username',
  1002: 'password1',
  1003: 'password2',
  1004: 'email',
  1005: 'email',
  1006: 'email',
  1007: 'code',
  1008: 'code',
  1009: 'code',
  1010: 'email',
};

export function Register() {
  const { route } = useLocation();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [username, setUsername] = useState('');
  const [password1, setPassword1] = useState('');
  const [password2, setPassword2] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [notice, setNotice] = useState('');
  const [countdown, setCountdown] = useState(0);
  const [busy, setBusy] = useState(false);
  useTitle(t.register);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown(countdown - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  const show = (error: unknown) => {
    if (error instanceof ApiError && error.errno > 0) setErrors({ [FIELD_OF[error.errno] ?? 'form']: error.message });
    else setErrors({ form: t.networkError });
  };

  const sendCode = async () => {
    setErrors({});
    setNotice('');
    try {
      await api.sendCode(email);
      setNotice(t.codeSent);
      setCountdown(60);
    } catch (error) {
      show(error);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setBusy(true);
    try {
      const { uid } = await api.register({ email, vcode: code, username, password_1: password1, password_2: password2 });
      await api.login(email, password1);
      await refresh();
      route(`/space/${uid}`);
    } catch (error) {
      show(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow" onSubmit={(event) => void submit(event)} noValidate>
      <h1>{t.register}</h1>
      <Field id="email" label={t.email} type="email" value={email} onInput={setEmail} error={errors.email} autoComplete="email">
        <button type="button" class="secondary" id="send-code" disabled={countdown > 0 || !email} onClick={() => void sendCode()}>
          {countdown > 0 ? t.resendIn(countdown) : t.sendCode}
        </button>
      </Field>
      {notice && <p class="notice">{notice}</p>}
      <Field id="code" label={t.code} value={code} onInput={setCode} error={errors.code} autoComplete="one-time-code" />
      <Field id="username" label={t.username} value={username} onInput={setUsername} error={errors.username} autoComplete="nickname" />
      <Field
        id="password1"
        label={t.password}
        type="password"
        value={password1}
        onInput={setPassword1}
        error={errors.password1}
        autoComplete="new-password"
      />
      <Field
        id="password2"
        label={t.password2}
        type="password"
        value={password2}
        onInput={setPassword2}
        error={errors.password2}
        autoComplete="new-password"
      />
      {errors.form && (
        <p class="error" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" id="register-submit" disabled={busy}>
        {t.submitRegister}
      </button>
      <p class="aside">
        <a href="/login">{t.haveAccount}</a>
      </p>
    </form>
  );
}
