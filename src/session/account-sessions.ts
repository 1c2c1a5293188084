import type { SessionData } from 'express-session';

/** A stored session and its key. */
export interface StoredSession {
  sid: string;
  data: SessionData;
}

/**
 * A session store that can find sessions by account (to list them, or end them all on a password
 * change, a reset, a disable or a deletion): both the database store and the Redis store are.
 */
export interface AccountSessionStore {
  sessionsOf(uid: number): Promise<StoredSession[]>;
  destroyMany(sids: string[]): Promise<void>;
}

/**
 * The uid of the account a session is logged in as (a login keeps its SessionUser under
 * `passport.user`). Sessions are found by uid: it is never reused, where a row id may be (a
 * database restored or rebuilt beside a Redis that still holds the old sessions).
 */
export function uidOf(session: SessionData): number | undefined {
  const uid = (session as { passport?: { user?: { uid?: unknown } } }).passport?.user?.uid;
  return typeof uid === 'number' ? uid : undefined;
}

/**
 * Whether a write may create the session rather than only update it. A login writes a new
 * session (markSeen made its createdAt and seenAt equal); every later write of a logged-in
 * session only moves an existing one on, so that a request in flight cannot bring back a session
 * that was ended meanwhile (revoked, password changed, account disabled).
 */
export function mayCreate(session: SessionData): boolean {
  return uidOf(session) === undefined || session.createdAt === session.seenAt;
}
