import { isEmail } from 'class-validator';

/** The format rules of the contract, counted in Unicode code points. */
export const USERNAME_MAX = 20;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 64;
export const EMAIL_MAX = 254;

const length = (value: string) => [...value].length;

export function isValidEmail(email: string | undefined): email is string {
  return !!email && email.length <= EMAIL_MAX && isEmail(email);
}

/** 1 to 20 characters, no control characters (they cannot be shown or typed back). */
export function isValidUsername(username: string | undefined): username is string {
  return !!username && length(username) <= USERNAME_MAX && !/\p{Cc}/u.test(username);
}

/** 8 to 64 characters with at least one letter (any script) and one digit 0-9. */
export function isValidPassword(password: string | undefined): password is string {
  if (!password) return false;
  const n = length(password);
  return n >= PASSWORD_MIN && n <= PASSWORD_MAX && /\p{L}/u.test(password) && /[0-9]/.test(password);
}

/** A uid as typed: exactly 10 digits. */
export const isUid = (value: string) => /^[1-9][0-9]{9}$/.test(value);
