import type { SessionUser } from './session-user.js';

/**
 * The SessionUser of a live, enabled account by its id, or null: for sessions written before a
 * session carried its SessionUser (they hold the bare account id). Implemented by accounts
 * (AccountSessionUsers), used by SessionModule, which knows nothing of accounts.
 */
export abstract class SessionAccounts {
  abstract sessionUser(id: number): Promise<SessionUser | null>;
}
