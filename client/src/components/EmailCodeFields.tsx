import { t } from '../i18n.js';
import { Field } from './Field.js';

/**
 * An email with its send-code button (a countdown until another may go), what was sent, and the
 * code field (register, reset, email change).
 */
export function EmailCodeFields(props: {
  ids: { email: string; send: string; code: string };
  emailLabel: string;
  email: string;
  code: string;
  onEmail: (value: string) => void;
  onCode: (value: string) => void;
  errors: { email?: string; code?: string };
  countdown: number;
  notice: string;
  onSend: (email: string) => unknown;
}) {
  const { ids, email, countdown } = props;
  return (
    <>
      <Field
        id={ids.email}
        label={props.emailLabel}
        type="email"
        value={email}
        onInput={props.onEmail}
        error={props.errors.email}
        autoComplete="email"
        required
      >
        <button type="button" class="secondary" id={ids.send} disabled={countdown > 0 || !email} onClick={() => void props.onSend(email)}>
          {countdown > 0 ? t.resendIn(countdown) : t.sendCode}
        </button>
      </Field>
      {props.notice && <p class="notice">{props.notice}</p>}
      <Field
        id={ids.code}
        label={t.code}
        value={props.code}
        onInput={props.onCode}
        error={props.errors.code}
        hint={t.codeHint}
        inputMode="numeric"
        autoComplete="one-time-code"
        required
      />
    </>
  );
}
