import type { DataSource } from 'typeorm';
import { User } from '../account/user.entity.js';
import { Video } from '../videos/video.entity.js';
import { memoryDatabase } from '../../test/support/database.js';
import { PreparedStatements } from './prepared-statements.js';

describe('PreparedStatements on SQLite', () => {
  let db: DataSource;
  let reads: PreparedStatements;

  beforeEach(async () => {
    db = await memoryDatabase();
    reads = new PreparedStatements(db);
  });
  afterEach(() => db.destroy());

  const video = (id: string, fields: Partial<Video> = {}): Video =>
    db.getRepository(Video).create({
      id,
      uid: 9_007_199_254, // a bigint column: mysql2 sends it as a string, the transformer makes it a number
      title: '旅行',
      description: '',
      visibility: 'unlisted',
      size: 5_000_000_000,
      mime: 'video/mp4',
      sha256: 'a'.repeat(64),
      status: 'ready',
      storageKey: `videos/${id}`,
      createdAt: new Date('2026-11-30T08:09:10.123Z'),
      views: 3,
      duration: 12.5,
      ...fields,
    });

  it('hydrates a row exactly as TypeORM does: numbers, bigints, dates, nulls, defaults', async () => {
    await db.getRepository(Video).insert(video('0123456789abcdef0123', { width: null, coverKey: null }));
    const byId = reads.entity(Video, 'id = ?');
    const prepared = await byId(['0123456789abcdef0123']);
    const typeorm = await db.getRepository(Video).findOneBy({ id: '0123456789abcdef0123' });
    expect(prepared).toEqual(typeorm);
    expect(prepared).toBeInstanceOf(Video);
    expect(prepared?.createdAt).toEqual(new Date('2026-11-30T08:09:10.123Z'));
    expect(prepared?.uid).toBe(9_007_199_254);
    expect(prepared?.renditionBytes).toBe(0);
    expect(prepared?.width).toBeNull();
  });

  it('answers null for no row, and reuses its statement across calls', async () => {
    const byId = reads.entity(Video, 'id = ?');
    expect(await byId(['ffffffffffffffffffff'])).toBeNull();
    await db.getRepository(Video).insert(video('ffffffffffffffffffff'));
    expect((await byId(['ffffffffffffffffffff']))?.id).toBe('ffffffffffffffffffff');
  });

  it('reads only the selected columns: a profile never holds the password hash', async () => {
    await db.getRepository(User).insert({
      uid: 4_821_930_571,
      username: '小明',
      email: 'a@example.com',
      passwordHash: '$argon2id$secret',
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
      disabled: true,
    });
    const profile = reads.entity(User, 'uid = ? AND deleted_at IS NULL', ['uid', 'email', 'disabled', 'createdAt']);
    const user = await profile([4_821_930_571]);
    expect(user).toEqual(
      Object.assign(new User(), {
        uid: 4_821_930_571,
        email: 'a@example.com',
        disabled: true,
        createdAt: new Date('2026-01-02T03:04:05.000Z'),
      }),
    );
    expect(user?.passwordHash).toBeUndefined();
  });

  it('runs a plain statement with its parameters', async () => {
    await db.getRepository(Video).insert([video('00000000000000000001', { size: 10 }), video('00000000000000000002', { size: 32 })]);
    const usage = reads.statement('SELECT COUNT(*) AS n, SUM(size) AS bytes FROM videos WHERE uid = ?');
    expect(await usage([9_007_199_254])).toEqual([{ n: 2, bytes: 42 }]);
  });

  it('rejects, rather than throws, on a statement the database refuses', async () => {
    await expect(reads.statement('SELECT x FROM nowhere')([])).rejects.toThrow(/no such table/);
  });
});
