import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type CodePurpose } from './api.js';
import { t } from './i18n.js';

// The server's format rules (src/account/account.rules.ts), counted in code points like there,
// so that a form can say what is wrong before it sends anything. The server still decides.
const length = (value: string) => [...value].length;

export const isValidEmail = (email: string) => email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
export const isValidUsername = (name: string) => length(name) >= 1 && length(name) <= 20 && !/[\p{Cc}\p{Cf}]/u.test(name);
export const isValidPassword = (password: string) =>
  length(password) >= 8 && length(password) <= 64 && /\p{L}/u.test(password) && /[0-9]/.test(password);
export const BIO_MAX = 200;
/** How long wrong passwords lock a browser out of an account (LOGIN_RULES.lockMs on the server). */
export const LOCK_MINUTES = 15;
export const bioLength = length;

/** "密码格式错误：8–64 个字符…": the rule goes with the error. */
export const withRule = (message: string, rule: string) => `${message}${t.ruleSeparator}${rule}`;

/** The message of a failed call: the server's (already in the page's language), or the network's. */
export const messageOf = (error: unknown) => (error instanceof ApiError && error.errno > 0 ? error.message : t.networkError);

export type Errors<F extends string> = Partial<Record<F | 'form', string>>;

/** The first empty field of `values` among `required`, as an error for it. */
export function missing<F extends string>(values: Record<F, string>, required: F[]): Errors<F> {
  const empty = required.filter((field) => !values[field]);
  return Object.fromEntries(empty.map((field) => [field, t.required])) as Errors<F>;
}

export const hasErrors = (errors: object) => Object.values(errors).some(Boolean);

/** Seconds until a code may be sent again; `start()` after a send. */
export function useCountdown(): [number, () => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, () => setLeft(60)];
}

/** The address and code of a form that mails a code, and the props its EmailCodeFields takes. */
export interface EmailCode {
  email: string;
  code: string;
  /** Clears what the fields hold and say (after the form succeeded). */
  reset: () => void;
  fields: {
    email: string;
    code: string;
    onEmail: (value: string) => void;
    onCode: (value: string) => void;
    countdown: number;
    notice: string;
    onSend: (email: string) => Promise<void>;
  };
}

/**
 * An email and code of a form that mails a code for `purpose`: the address is checked first,
 * after a send the button counts down the server's 60 s cooldown, and "sent" is shown. The form
 * hears of a bad address and of a send (its errors clear) through `setErrors`, of a refusal
 * through `onError`, and of each attempt through `onStart`.
 */
export function useEmailCode(
  purpose: CodePurpose,
  events: { setErrors: (errors: { email?: string }) => void; onError: (error: unknown) => void; onStart?: () => void },
): EmailCode {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState('');
  const [countdown, startCountdown] = useCountdown();
  const onSend = async (address: string) => {
    setNotice('');
    events.onStart?.();
    if (!isValidEmail(address)) return events.setErrors({ email: t.invalidEmail });
    try {
      await api.sendCode(address, purpose);
      events.setErrors({});
      setNotice(t.codeSent);
      startCountdown();
    } catch (error) {
      events.onError(error);
    }
  };
  const reset = () => {
    setEmail('');
    setCode('');
    setNotice('');
  };
  return { email, code, reset, fields: { email, code, onEmail: setEmail, onCode: setCode, countdown, notice, onSend } };
}

/** A new password typed twice (register, reset, change), and the props its NewPasswordFields takes. */
export function useNewPassword() {
  const [password1, setPassword1] = useState('');
  const [password2, setPassword2] = useState('');
  return {
    password1,
    password2,
    /** Adds the rule's and the match's errors to `errors` (after `missing` said which are empty). */
    check(errors: { password1?: string; password2?: string }): void {
      if (!errors.password1 && !isValidPassword(password1)) errors.password1 = withRule(t.invalidPassword, t.passwordRule);
      if (!errors.password1 && !errors.password2 && password1 !== password2) errors.password2 = t.passwordMismatch;
    },
    reset(): void {
      setPassword1('');
      setPassword2('');
    },
    fields: {
      values: [password1, password2] as [string, string],
      onInput: [setPassword1, setPassword2] as [(value: string) => void, (value: string) => void],
    },
  };
}
