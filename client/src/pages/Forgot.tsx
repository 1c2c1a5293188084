import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { EmailCodeFields } from '../components/EmailCodeFields.js';
import { FormError } from '../components/FormError.js';
import { NewPasswordFields } from '../components/NewPasswordFields.js';
import { hasErrors, isValidEmail, missing, useEmailCode, useNewPassword, withRule, type Errors } from '../forms.js';
import { t } from '../i18n.js';
import { useTitle } from '../title.js';

type FieldName = 'email' | 'code' | 'password1' | 'password2';

const FIELD_OF: Record<number, FieldName> = {
  1001: 'email',
  1002: 'password1',
  1003: 'password2',
  1004: 'email',
  1005: 'email',
  1006: 'email',
  1007: 'code',
  1008: 'code',
  1009: 'code',
};

/** Email, a code mailed for purpose=reset, a new password twice; it does not log in. */
export function Forgot() {
  const newPassword = useNewPassword();
  const { password1, password2 } = newPassword;
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  useTitle(t.resetTitle);

  const show = (error: unknown) => {
    if (!(error instanceof ApiError) || error.errno < 0) setErrors({ form: t.networkError });
    // 1001 here means no account has this address: 请先注册 would read oddly.
    else if (error.errno === 1001) setErrors({ email: t.noSuchEmail });
    else if (error.errno === 1002) setErrors({ password1: withRule(error.message, t.passwordRule) });
    else setErrors({ [FIELD_OF[error.errno] ?? 'form']: error.message });
  };

  const emailCode = useEmailCode('reset', { setErrors, onError: show });
  const { email, code } = emailCode;

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors = missing({ email, code, password1, password2 }, ['email', 'code', 'password1', 'password2']);
    if (!errors.email && !isValidEmail(email)) errors.email = t.invalidEmail;
    newPassword.check(errors);
    setErrors(errors);
    if (hasErrors(errors)) return;
    setBusy(true);
    try {
      await api.resetPassword({ email, vcode: code, password_1: password1, password_2: password2 });
      setDone(true);
    } catch (error) {
      show(error);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section class="card narrow" id="reset-done">
        <h1>{t.resetTitle}</h1>
        <p class="success" role="status">
          {t.resetDone}
        </p>
        <a class="button block" href="/login" id="back-to-login">
          {t.backToLogin}
        </a>
      </section>
    );
  }

  return (
    <form class="card narrow" onSubmit={(event) => void submit(event)} noValidate>
      <h1>{t.resetTitle}</h1>
      <p class="muted intro">{t.resetIntro}</p>
      <EmailCodeFields
        ids={{ email: 'email', send: 'send-code', code: 'code' }}
        emailLabel={t.email}
        errors={errors}
        {...emailCode.fields}
      />
      <NewPasswordFields
        ids={['password1', 'password2']}
        labels={[t.newPassword, t.newPassword2]}
        errors={[errors.password1, errors.password2]}
        {...newPassword.fields}
      />
      <FormError message={errors.form} />
      <button type="submit" id="reset-submit" disabled={busy}>
        {t.submitReset}
      </button>
      <p class="aside">
        <a href="/login">{t.backToLogin}</a>
      </p>
    </form>
  );
}
