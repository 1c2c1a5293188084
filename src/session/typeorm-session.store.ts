import { Store, type SessionData } from 'express-session';
import { In, LessThan, MoreThan, type Repository } from 'typeorm';
import { mayCreate, uidOf, type AccountSessionStore, type StoredSession } from './account-sessions.js';
import type { PreparedReads } from '../database/prepared-reads.js';
import { SessionRecord } from './session.entity.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** Hands a promise's outcome to an express-session callback, exactly once. */
function settle<T>(promise: Promise<T>, callback?: Callback<T>): void {
  promise.then(
    (value) => callback?.(null, value),
    (error: unknown) => callback?.(error),
  );
}

/**
 * express-session's store in the database (the default, so sessions survive restarts and are
 * shared by instances without Redis). connect-typeorm would do, but it pins TypeORM 0.3. Each
 * row names its account (`user_uid`), so an account's sessions can be listed and ended.
 */
export class TypeormSessionStore extends Store implements AccountSessionStore {
  private readonly bySid: (parameters: [string]) => Promise<SessionRecord | null>;

  constructor(
    private readonly records: Repository<SessionRecord>,
    private readonly defaultTtlMs: number,
    reads: PreparedReads,
  ) {
    super();
    // Read on every logged-in request: prepared.
    this.bySid = reads.entity(SessionRecord, 'sid = ?', ['expiresAt', 'data']);
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    const live = this.bySid([sid]).then((record) =>
      record && record.expiresAt > Date.now() ? (JSON.parse(record.data) as SessionData) : null,
    );
    settle(live, callback);
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    const record = { sid, expiresAt: this.expiryOf(session), data: JSON.stringify(session), userUid: uidOf(session) ?? null };
    const write = mayCreate(session) ? this.records.upsert(record, ['sid']) : this.records.update({ sid }, record);
    settle(
      write.then(() => undefined),
      callback,
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    settle(
      this.records.delete({ sid }).then(() => undefined),
      callback,
    );
  }

  async sessionsOf(uid: number): Promise<StoredSession[]> {
    const records = await this.records.findBy({ userUid: uid, expiresAt: MoreThan(Date.now()) });
    return records.map((record) => ({ sid: record.sid, data: JSON.parse(record.data) as SessionData }));
  }

  async destroyMany(sids: string[]): Promise<void> {
    if (sids.length) await this.records.delete({ sid: In(sids) });
  }

  /** Removes expired sessions (SessionModule runs it every 15 minutes). */
  async prune(): Promise<void> {
    await this.records.delete({ expiresAt: LessThan(Date.now()) });
  }

  private expiryOf(session: SessionData): number {
    const expires = session.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.defaultTtlMs;
  }
}
