import type { SessionUser } from './session-user.js';

/**
 * Whether an account is an admin now (ADMIN_EMAILS against its current email): a session keeps
 * the role it had at login, so a power used on someone else's things is confirmed here first.
 * Implemented by accounts (AccountRoles), used by videos, which know nothing of accounts.
 */
export abstract class AdminCheck {
  abstract isAdmin(viewer: Pick<SessionUser, 'id'>): Promise<boolean>;
}
