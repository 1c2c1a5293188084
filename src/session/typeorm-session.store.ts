import { Store, type SessionData } from 'express-session';
import { In, LessThan, MoreThan, type Repository } from 'typeorm';
import { mayCreate, uidOf, type AccountSessionStore, type StoredSession } from './account-sessions.js';
import type { PreparedStatements, Write } from '../database/prepared-statements.js';
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
  private readonly upsert: (record: SessionRecord) => Promise<void>;
  private readonly moveOn: Write;
  private readonly remove: Write;

  constructor(
    private readonly records: Repository<SessionRecord>,
    private readonly defaultTtlMs: number,
    statements: PreparedStatements,
  ) {
    super();
    // Read on every logged-in request and written at every login and slide: prepared.
    this.bySid = statements.entity(SessionRecord, 'sid = ?', ['expiresAt', 'data']);
    this.upsert = statements.upsert(SessionRecord, 'sid');
    this.moveOn = statements.write('UPDATE sessions SET expires_at = ?, data = ?, user_uid = ? WHERE sid = ?');
    this.remove = statements.write('DELETE FROM sessions WHERE sid = ?');
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    const live = this.bySid([sid]).then((record) =>
      record && record.expiresAt > Date.now() ? (JSON.parse(record.data) as SessionData) : null,
    );
    settle(live, callback);
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    const record = { sid, expiresAt: this.expiryOf(session), data: JSON.stringify(session), userUid: uidOf(session) ?? null };
    const write = mayCreate(session) ? this.upsert(record) : this.moveOn([record.expiresAt, record.data, record.userUid, sid]);
    settle(
      write.then(() => undefined),
      callback,
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    settle(
      this.remove([sid]).then(() => undefined),
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
