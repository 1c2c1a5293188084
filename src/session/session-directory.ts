import { createHash } from 'node:crypto';
import type { AccountSessionStore, StoredSession } from './account-sessions.js';

/** What the account's owner sees of one of their sessions. */
export interface SessionView {
  /** A digest of the session's key: the key itself is what the cookie proves, never shown. */
  id: string;
  current: boolean;
  created_at: string | null;
  last_seen_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export const publicSessionId = (sid: string) => createHash('sha256').update(sid).digest('base64url').slice(0, 22);

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * An account's sessions, in whichever store holds them (database or Redis): listed for their
 * owner, ended one by one, all but the current one, or all (password change and reset, disable,
 * deletion). Ending removes them from the store, which every instance reads on each request.
 */
export class SessionDirectory {
  constructor(private readonly store: AccountSessionStore) {}

  /** The account's live sessions, most recently seen first. */
  async list(uid: number, currentSid: string | undefined): Promise<SessionView[]> {
    const sessions = await this.store.sessionsOf(uid);
    return sessions
      .sort((a, b) => (b.data.seenAt ?? 0) - (a.data.seenAt ?? 0))
      .map(({ sid, data }) => ({
        id: publicSessionId(sid),
        current: sid === currentSid,
        created_at: iso(data.createdAt),
        last_seen_at: iso(data.seenAt),
        ip: data.ip ?? null,
        user_agent: data.userAgent ?? null,
      }));
  }

  /** Ends the account's session with this public id; false when the account has none such. */
  async end(uid: number, id: string): Promise<boolean> {
    const match = (await this.store.sessionsOf(uid)).find(({ sid }) => publicSessionId(sid) === id);
    if (!match) return false;
    await this.store.destroyMany([match.sid]);
    return true;
  }

  /** Ends every session of the account except `keepSid`; resolves with how many ended. */
  async endAll(uid: number, keepSid?: string): Promise<number> {
    const ended = (await this.store.sessionsOf(uid)).filter(({ sid }: StoredSession) => sid !== keepSid).map(({ sid }) => sid);
    await this.store.destroyMany(ended);
    return ended.length;
  }
}
