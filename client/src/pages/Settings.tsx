import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, type Me } from '../api.js';
import { AvatarEditor } from '../components/AvatarEditor.js';
import { EmailCodeFields } from '../components/EmailCodeFields.js';
import { Field } from '../components/Field.js';
import { LoginRequired } from '../components/LoginRequired.js';
import { NewPasswordFields } from '../components/NewPasswordFields.js';
import { SessionList } from '../components/SessionList.js';
import { formatBytes } from '../format.js';
import {
  BIO_MAX,
  bioLength,
  hasErrors,
  isValidEmail,
  isValidUsername,
  LOCK_MINUTES,
  messageOf,
  missing,
  useEmailCode,
  useNewPassword,
  withRule,
  type Errors,
} from '../forms.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

/** A form's outcome line: green when it worked, red with role=alert when not. */
function Outcome({ ok, error, id }: { ok?: string; error?: string; id: string }) {
  if (error)
    return (
      <p class="error" role="alert" id={`${id}-error`}>
        {error}
      </p>
    );
  if (ok)
    return (
      <p class="success" role="status" id={`${id}-ok`}>
        {ok}
      </p>
    );
  return null;
}

export function Settings() {
  const { user } = useSession();
  useTitle(t.settings);
  if (user === undefined) return <p class="loading">{t.loading}</p>;
  if (user === null) {
    return <LoginRequired />;
  }
  return (
    <div class="settings">
      <h1>{t.settings}</h1>
      <ProfileSection user={user} />
      <section class="card" aria-labelledby="avatar-title">
        <h2 id="avatar-title">{t.avatar}</h2>
        <AvatarEditor user={user} />
      </section>
      <StorageSection user={user} />
      <PasswordSection />
      <EmailSection user={user} />
      <section class="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t.sessions}</h2>
        <SessionList />
      </section>
      <DeleteSection user={user} />
    </div>
  );
}

function ProfileSection({ user }: { user: Me }) {
  const { update } = useSession();
  const [username, setUsername] = useState(user.username);
  const [bio, setBio] = useState(user.bio);
  const [errors, setErrors] = useState<Errors<'username' | 'bio'>>({});
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  const count = bioLength(bio);

  const submit = async (event: Event) => {
    event.preventDefault();
    setOk('');
    const errors: Errors<'username' | 'bio'> = missing({ username }, ['username']);
    if (!errors.username && !isValidUsername(username)) errors.username = withRule(t.invalidUsername, t.usernameRule);
    if (count > BIO_MAX) errors.bio = t.bioTooLong;
    setErrors(errors);
    if (hasErrors(errors)) return;
    setBusy(true);
    try {
      update((await api.saveProfile({ username, bio })).user);
      setOk(t.saved);
    } catch (error) {
      if (error instanceof ApiError && error.errno === 1001) setErrors({ username: withRule(error.message, t.usernameRule) });
      else if (error instanceof ApiError && error.errno === 9000) setErrors({ bio: error.message });
      else setErrors({ form: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="profile-title">
      <h2 id="profile-title">{t.profile}</h2>
      <Field
        id="profile-username"
        label={t.username}
        value={username}
        onInput={setUsername}
        error={errors.username}
        hint={t.usernameRule}
        autoComplete="nickname"
        required
      />
      <div class="field">
        <label for="profile-bio">{t.bio}</label>
        <textarea
          id="profile-bio"
          name="bio"
          rows={3}
          value={bio}
          aria-invalid={errors.bio || count > BIO_MAX ? 'true' : undefined}
          aria-describedby="profile-bio-count"
          onInput={(event) => setBio((event.target as HTMLTextAreaElement).value)}
        />
        <div class="field-foot">
          {errors.bio ? (
            <p class="error" role="alert">
              {errors.bio}
            </p>
          ) : (
            <span />
          )}
          <span class={`counter${count > BIO_MAX ? ' over' : ''}`} id="profile-bio-count">
            {count}/{BIO_MAX}
          </span>
        </div>
      </div>
      <Outcome ok={ok} error={errors.form} id="profile" />
      <div class="form-actions">
        <button type="submit" id="profile-save" disabled={busy}>
          {t.save}
        </button>
      </div>
    </form>
  );
}

function StorageSection({ user }: { user: Me }) {
  const quota = user.storage_quota;
  const used = user.storage_used;
  return (
    <section class="card" aria-labelledby="storage-title">
      <h2 id="storage-title">{t.storage}</h2>
      <p id="storage-text" class="storage-text">
        {quota === null ? t.storageUnlimited(formatBytes(used)) : t.storageUsed(formatBytes(used), formatBytes(quota))}
      </p>
      {quota !== null && quota > 0 && (
        <progress class={`storage-bar${used >= quota ? ' full' : ''}`} max={quota} value={Math.min(used, quota)} aria-label={t.storage} />
      )}
    </section>
  );
}

function PasswordSection() {
  const { user } = useSession();
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const { password1, password2 } = newPassword;
  const [errors, setErrors] = useState<Errors<'current' | 'password1' | 'password2'>>({});
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setOk('');
    const errors = missing({ current, password1, password2 }, ['current', 'password1', 'password2']);
    newPassword.check(errors);
    setErrors(errors);
    if (hasErrors(errors)) return;
    setBusy(true);
    try {
      await api.changePassword({ password: current, password_1: password1, password_2: password2 });
      setCurrent('');
      newPassword.reset();
      setOk(t.passwordChanged);
    } catch (error) {
      // The new password passed the same format check here, so a 1002 is about the current one.
      if (error instanceof ApiError && error.errno === 1002) setErrors({ current: error.message });
      else if (error instanceof ApiError && error.errno === 1003) setErrors({ password2: error.message });
      else if (error instanceof ApiError && error.errno === 1005) setErrors({ form: t.lockedFor(LOCK_MINUTES) });
      else setErrors({ form: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="password-title">
      <h2 id="password-title">{t.changePassword}</h2>
      {/* Lets a password manager know whose password changes. */}
      <input type="text" name="username" autoComplete="username" value={user?.email} hidden readOnly />
      <Field
        id="current-password"
        label={t.currentPassword}
        type="password"
        value={current}
        onInput={setCurrent}
        error={errors.current}
        autoComplete="current-password"
        required
      />
      <NewPasswordFields
        ids={['new-password1', 'new-password2']}
        labels={[t.newPassword, t.newPassword2]}
        errors={[errors.password1, errors.password2]}
        {...newPassword.fields}
      />
      <Outcome ok={ok} error={errors.form} id="password" />
      <div class="form-actions">
        <button type="submit" id="password-save" disabled={busy}>
          {t.changePassword}
        </button>
      </div>
    </form>
  );
}

const EMAIL_FIELD_OF: Record<number, 'email' | 'code'> = {
  1004: 'email',
  1005: 'email',
  1006: 'email',
  1010: 'email',
  1007: 'code',
  1008: 'code',
  1009: 'code',
};

function EmailSection({ user }: { user: Me }) {
  const { update } = useSession();
  const [errors, setErrors] = useState<Errors<'email' | 'code'>>({});
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);

  const show = (error: unknown) => {
    const field = error instanceof ApiError ? EMAIL_FIELD_OF[error.errno] : undefined;
    setErrors({ [field ?? 'form']: messageOf(error) });
  };

  const emailCode = useEmailCode('email', { setErrors, onError: show, onStart: () => setOk('') });
  const { email, code } = emailCode;

  const submit = async (event: Event) => {
    event.preventDefault();
    setOk('');
    const errors = missing({ email, code }, ['email', 'code']);
    if (!errors.email && !isValidEmail(email)) errors.email = t.invalidEmail;
    setErrors(errors);
    if (hasErrors(errors)) return;
    setBusy(true);
    try {
      update((await api.changeEmail({ email, vcode: code })).user);
      emailCode.reset();
      setOk(t.emailChanged);
    } catch (error) {
      show(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="email-title">
      <h2 id="email-title">{t.changeEmail}</h2>
      <p class="muted" id="current-email">
        {t.currentEmail(user.email)}
      </p>
      <EmailCodeFields
        ids={{ email: 'new-email', send: 'email-send-code', code: 'email-code' }}
        emailLabel={t.newEmail}
        errors={errors}
        {...emailCode.fields}
      />
      <Outcome ok={ok} error={errors.form} id="email" />
      <div class="form-actions">
        <button type="submit" id="email-save" disabled={busy}>
          {t.changeEmail}
        </button>
      </div>
    </form>
  );
}

function DeleteSection({ user }: { user: Me }) {
  const { refresh } = useSession();
  const { route } = useLocation();
  const [confirmText, setConfirmText] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors<'confirm' | 'password'>>({});
  const [busy, setBusy] = useState(false);
  // A new name (saved above) must be typed as it now is.
  useEffect(() => setConfirmText(''), [user.username]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors = missing({ confirm: confirmText, password }, ['confirm', 'password']);
    if (!errors.confirm && confirmText.trim() !== user.username) errors.confirm = t.confirmMismatch;
    setErrors(errors);
    if (hasErrors(errors)) return;
    setBusy(true);
    try {
      await api.deleteAccount(password);
      await refresh();
      route('/?deleted');
    } catch (error) {
      if (error instanceof ApiError && error.errno === 1002) setErrors({ password: error.message });
      else if (error instanceof ApiError && error.errno === 1005) setErrors({ form: t.lockedFor(LOCK_MINUTES) });
      else setErrors({ form: messageOf(error) });
      setBusy(false);
    }
  };

  return (
    <form class="card danger-zone" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="delete-title">
      <h2 id="delete-title">{t.deleteAccount}</h2>
      <p class="warning">{t.deleteWarning}</p>
      <Field
        id="delete-confirm"
        label={t.typeToConfirm(user.username)}
        value={confirmText}
        onInput={setConfirmText}
        error={errors.confirm}
        autoComplete="off"
        required
      />
      <Field
        id="delete-password"
        label={t.password}
        type="password"
        value={password}
        onInput={setPassword}
        error={errors.password}
        autoComplete="current-password"
        required
      />
      <Outcome error={errors.form} id="delete" />
      <div class="form-actions">
        <button type="submit" class="danger" id="delete-account" disabled={busy || confirmText.trim() !== user.username || !password}>
          {t.deleteForever}
        </button>
      </div>
    </form>
  );
}
