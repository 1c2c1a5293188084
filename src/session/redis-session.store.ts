import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import type { RedisClientType } from 'redis';
import { mayCreate, uidOf, type AccountSessionStore, type StoredSession } from './account-sessions.js';

type Callback = (error?: unknown, value?: unknown) => void;

/**
 * connect-redis, with each account's session ids in a set beside the sessions, so that an
 * account's sessions can be listed and ended on every instance. A set member whose session
 * expired is dropped when the set is read.
 */
export class RedisSessionStore extends RedisStore implements AccountSessionStore {
  constructor(
    private readonly redis: RedisClientType,
    private readonly keyPrefix: string,
    /** How long an account's set outlives its last write: the longest a session can live. */
    private readonly indexTtlS: number,
  ) {
    super({ client: redis, prefix: keyPrefix });
  }

  override async set(sid: string, session: SessionData, callback?: Callback): Promise<void> {
    try {
      const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : Date.now() + this.indexTtlS * 1000;
      const ttl = Math.ceil((expires - Date.now()) / 1000);
      if (ttl <= 0) return void (await this.destroy(sid, callback));
      const uid = uidOf(session);
      const multi = this.redis.multi().set(this.keyPrefix + sid, JSON.stringify(session), {
        expiration: { type: 'EX', value: ttl },
        ...(mayCreate(session) ? {} : { condition: 'XX' as const }),
      });
      if (uid !== undefined) multi.sAdd(this.index(uid), sid).expire(this.index(uid), this.indexTtlS);
      await multi.exec();
      callback?.();
    } catch (error) {
      if (!callback) throw error;
      callback(error);
    }
  }

  async sessionsOf(uid: number): Promise<StoredSession[]> {
    const sids = await this.redis.sMembers(this.index(uid));
    if (!sids.length) return [];
    const values = await this.redis.mGet(sids.map((sid) => this.keyPrefix + sid));
    const live: StoredSession[] = [];
    const gone: string[] = [];
    sids.forEach((sid, i) => {
      const value = values[i];
      const data = value ? (JSON.parse(value) as SessionData) : null;
      if (data && uidOf(data) === uid) live.push({ sid, data });
      else gone.push(sid);
    });
    if (gone.length) await this.redis.sRem(this.index(uid), gone);
    return live;
  }

  async destroyMany(sids: string[]): Promise<void> {
    if (sids.length) await this.redis.del(sids.map((sid) => this.keyPrefix + sid));
  }

  private index(uid: number): string {
    // Not under keyPrefix, where connect-redis's own scans look for sessions.
    return `${this.keyPrefix.replace(/:$/, '')}-uid:${uid}`;
  }
}
