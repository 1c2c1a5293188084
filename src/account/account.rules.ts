import { isEmail } from 'class-validator';
import { hasHiddenControls } from '../common/text.js';
import type { Registration } from '../config/app-config.js';
import type { Role } from '../session/session-user.js';

/** The format rules of the contract, counted in Unicode code points. */
export const USERNAME_MAX = 20;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 64;
export const EMAIL_MAX = 254;

const length = (value: string) => [...value].length;

/**
 * The one form an email is stored, compared and keyed under (the users row, codes, marks,
 * limits): Unicode NFC, then lower case. Two spellings that differ only in composition
 * (`a` + U+0308 against `ä`) or case are one address; `ä` and `a` stay two, and the database
 * compares the stored bytes (utf8mb4_bin on MariaDB/MySQL, BINARY on SQLite). Nothing is trimmed:
 * an address with spaces around it is refused (1004), not repaired.
 */
export function canonicalEmail(raw: string): string {
  return raw.normalize('NFC').toLowerCase().normalize('NFC');
}

/** A plausible address, at most 254 characters, without control or format characters (they forged log lines). */
export function isValidEmail(email: string | undefined): email is string {
  return !!email && email.length <= EMAIL_MAX && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(email) && isEmail(email);
}

/** 1 to 20 characters, no control characters or bidi controls (they cannot be shown or typed back). */
export function isValidUsername(username: string | undefined): username is string {
  return !!username && length(username) <= USERNAME_MAX && !hasHiddenControls(username);
}

/** 8 to 64 characters with at least one letter (any script) and one digit 0-9. */
export function isValidPassword(password: string | undefined): password is string {
  if (!password) return false;
  const n = length(password);
  return n >= PASSWORD_MIN && n <= PASSWORD_MAX && /\p{L}/u.test(password) && /[0-9]/.test(password);
}

/** An account's role: ADMIN_EMAILS names the admins by their (canonical) email. */
export const roleFor = (email: string, adminEmails: readonly string[]): Role => (adminEmails.includes(email) ? 'admin' : 'user');

/** `users.storage_quota` for an account an admin made unlimited (null follows USER_QUOTA_BYTES). */
export const UNLIMITED_QUOTA = -1;

/** The bytes an account may store (null: unlimited) from its stored quota and USER_QUOTA_BYTES. */
export function effectiveQuota(stored: number | null, fallback: number | null): number | null {
  if (stored === null) return fallback;
  return stored === UNLIMITED_QUOTA ? null : stored;
}

export const BIO_MAX = 200;

/** At most 200 characters; line breaks allowed, other control and bidi characters not. */
export function isValidBio(bio: string): boolean {
  return length(bio) <= BIO_MAX && !hasHiddenControls(bio, { allowLineBreaks: true });
}

/** What a mailed code may be used for: each code is good for its purpose and email only. */
export const CODE_PURPOSES = ['register', 'reset', 'email'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

export const isCodePurpose = (value: string): value is CodePurpose => (CODE_PURPOSES as readonly string[]).includes(value);

/** Whether REGISTRATION lets `email` (canonical) register. */
export function mayRegister(registration: Registration, email: string): boolean {
  if (registration.mode !== 'allowlist') return registration.mode === 'open';
  const domain = email.slice(email.lastIndexOf('@'));
  return registration.allow.some((pattern) => pattern === email || (pattern.startsWith('*@') && pattern.slice(1) === domain));
}

/** A uid as typed: exactly 10 digits. */
export const isUid = (value: string) => /^[1-9][0-9]{9}$/.test(value);
