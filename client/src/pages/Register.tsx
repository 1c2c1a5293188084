import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api.js';
import { EmailCodeFields } from '../components/EmailCodeFields.js';
import { Field } from '../components/Field.js';
import { FormError } from '../components/FormError.js';
import { NewPasswordFields } from '../components/NewPasswordFields.js';
import { hasErrors, isValidEmail, isValidUsername, missing, useEmailCode, useNewPassword, withRule, type Errors } from '../forms.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

type FieldName = 'email' | 'code' | 'username' | 'password1' | 'password2';

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
  1013: 'email',
};

/** The rule a format error repeats. */
const RULE_OF: Partial<Record<number, string>> = { 1001: t.usernameRule, 1002: t.passwordRule };

export function Register() {
  const { route } = useLocation();
  const { refresh } = useSession();
  const [username, setUsername] = useState('');
  const newPassword = useNewPassword();
  const { password1, password2 } = newPassword;
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const [busy, setBusy] = useState(false);
  useTitle(t.register);

  const show = (error: unknown) => {
    if (error instanceof ApiError && error.errno > 0) {
      const rule = RULE_OF[error.errno];
      setErrors({ [FIELD_OF[error.errno] ?? 'form']: rule ? withRule(error.message, rule) : error.message });
    } else setErrors({ form: t.networkError });
  };

  const emailCode = useEmailCode('register', { setErrors, onError: show });
  const { email, code } = emailCode;

  /** What the browser can tell before sending: empty fields and the format rules. */
  const check = (): Errors<FieldName> => {
    const errors = missing({ email, code, username, password1, password2 }, ['email', 'code', 'username', 'password1', 'password2']);
    if (!errors.email && !isValidEmail(email)) errors.email = t.invalidEmail;
    if (!errors.username && !isValidUsername(username)) errors.username = withRule(t.invalidUsername, t.usernameRule);
    newPassword.check(errors);
    return errors;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors = check();
    setErrors(errors);
    if (hasErrors(errors)) return;
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
      <EmailCodeFields
        ids={{ email: 'email', send: 'send-code', code: 'code' }}
        emailLabel={t.email}
        errors={errors}
        {...emailCode.fields}
      />
      <Field
        id="username"
        label={t.username}
        value={username}
        onInput={setUsername}
        error={errors.username}
        hint={t.usernameRule}
        autoComplete="nickname"
        required
      />
      <NewPasswordFields
        ids={['password1', 'password2']}
        labels={[t.password, t.password2]}
        errors={[errors.password1, errors.password2]}
        {...newPassword.fields}
      />
      <FormError message={errors.form} />
      <button type="submit" id="register-submit" disabled={busy}>
        {t.submitRegister}
      </button>
      <p class="aside">
        <a href="/login">{t.haveAccount}</a>
      </p>
    </form>
  );
}
