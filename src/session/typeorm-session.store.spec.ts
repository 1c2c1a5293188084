import { randomUUID } from 'node:crypto';
import type { SessionData } from 'express-session';
import type { DataSource } from 'typeorm';
import { PreparedStatements } from '../database/prepared-statements.js';
import { suiteDatabase } from '../../test/support/database.js';
import { SessionRecord } from './session.entity.js';
import { TypeormSessionStore } from './typeorm-session.store.js';

const DAY = 24 * 60 * 60_000;

/** The database session store on the suite's database (SQLite, or MariaDB in CI's second run). */
describe('TypeormSessionStore', () => {
  let db: DataSource;
  let store: TypeormSessionStore;

  beforeEach(async () => {
    db = await suiteDatabase([SessionRecord]);
    store = new TypeormSessionStore(db.getRepository(SessionRecord), DAY, new PreparedStatements(db));
  });
  afterEach(() => db.destroy());

  const call = <T>(run: (done: (error?: unknown, value?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) =>
      run((error, value) => (error ? reject(error instanceof Error ? error : new Error('the store failed')) : resolve(value))),
    );
  const session = (uid: number | undefined, at: { createdAt?: number; seenAt?: number }, expires = Date.now() + DAY) =>
    ({
      cookie: { expires: new Date(expires), originalMaxAge: DAY },
      ...(uid === undefined ? {} : { passport: { user: { id: 1, uid, username: '小明', role: 'user' } } }),
      ...at,
    }) as unknown as SessionData;
  const get = (sid: string) => call<SessionData | null>((done) => store.get(sid, done));
  const set = (sid: string, data: SessionData) => call((done) => store.set(sid, data, done));

  it('creates a login’s session, moves it on, and reads back what was written', async () => {
    const sid = randomUUID();
    const uid = 4_000_000_000 + Math.floor(Math.random() * 1e9);
    await set(sid, session(uid, { createdAt: 1000, seenAt: 1000 }));
    expect(await get(sid)).toMatchObject({ passport: { user: { uid } }, seenAt: 1000 });
    await set(sid, session(uid, { createdAt: 1000, seenAt: 70_000 }, Date.now() + 2 * DAY));
    expect(await get(sid)).toMatchObject({ seenAt: 70_000 });
    expect((await store.sessionsOf(uid)).map((stored) => stored.sid)).toEqual([sid]);
    const record = await db.getRepository(SessionRecord).findOneByOrFail({ sid });
    expect(record.userUid).toBe(uid);
    expect(record.expiresAt).toBeGreaterThan(Date.now() + DAY);
  });

  it('never brings back an ended session by moving it on', async () => {
    const sid = randomUUID();
    const uid = 4_000_000_000 + Math.floor(Math.random() * 1e9);
    await set(sid, session(uid, { createdAt: 1000, seenAt: 1000 }));
    await call((done) => store.destroy(sid, done));
    expect(await get(sid)).toBeNull();
    await set(sid, session(uid, { createdAt: 1000, seenAt: 70_000 }));
    expect(await get(sid)).toBeNull();
  });

  it('writes a session again under the same id at a new login (an upsert, not a second row)', async () => {
    const sid = randomUUID();
    await set(sid, session(undefined, {}));
    const uid = 4_000_000_000 + Math.floor(Math.random() * 1e9);
    await set(sid, session(uid, { createdAt: 5000, seenAt: 5000 }));
    expect(await get(sid)).toMatchObject({ passport: { user: { uid } }, createdAt: 5000 });
    expect(await db.getRepository(SessionRecord).countBy({ sid })).toBe(1);
  });

  it('answers null for an expired session', async () => {
    const sid = randomUUID();
    await set(sid, session(undefined, {}, Date.now() - 1000));
    expect(await get(sid)).toBeNull();
  });
});
