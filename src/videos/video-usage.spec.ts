import { VideoUsage1770000000000 } from '../database/migrations/1770000000000-video-usage.js';
import { databaseBefore, useVideoRepository, videoFields } from '../../test/support/database.js';
import { VISIBILITIES, type Visibility } from './video.rules.js';

const GiB = 1024 ** 3;

/**
 * Each account's usage as `video_usage` keeps it (triggers on `videos`), always equal to what a
 * sum over the videos gives, on the suite's database (SQLite, or MariaDB in CI's second run).
 */
describe('VideoRepository usage', () => {
  const suite = useVideoRepository();

  const newUid = () => 5_000_000_000 + Math.floor(Math.random() * 1e9);
  const video = (uid: number, size: number) =>
    suite.rows.build(videoFields(uid, { size, status: 'processing', storageKey: 'videos/x', run: 'run-1' }));
  const rendition = (bytes: number) => ({
    duration: 1,
    width: 320,
    height: 240,
    codec: 'h264',
    renditionKey: 'renditions/x/',
    coverKey: null,
    renditionBytes: bytes,
  });
  /** What summing the rows says. */
  async function summed(uid: number) {
    const [row] = await suite.db.query<{ n: unknown; shown: unknown; bytes: unknown }[]>(
      "SELECT COUNT(*) AS n, COALESCE(SUM(visibility = 'public'), 0) AS shown, COALESCE(SUM(size + rendition_bytes), 0) AS bytes FROM videos WHERE uid = ?",
      [uid],
    );
    return { videoCount: Number(row.n), storageUsed: Number(row.bytes), publicVideos: Number(row.shown) };
  }
  const totals = async (uid: number) => ({ ...(await suite.rows.usageOf(uid)), publicVideos: await suite.rows.countByOwner(uid) });

  it('follows uploads, finished renditions, view counts and deletes, past 4 GiB', async () => {
    const uid = newUid();
    expect(await suite.rows.usageOf(uid)).toEqual({ videoCount: 0, storageUsed: 0 });
    const first = video(uid, 3 * GiB);
    const second = video(uid, 1000);
    await suite.rows.insert(first);
    await suite.rows.insert(second);
    expect(await suite.rows.usageOf(uid)).toEqual({ videoCount: 2, storageUsed: 3 * GiB + 1000 });

    expect(await suite.rows.finishRun(first.id, 'run-1', rendition(2 * GiB))).toBe(true);
    expect(await suite.rows.usageOf(uid)).toEqual({ videoCount: 2, storageUsed: 5 * GiB + 1000 });
    // A new run replaces the renditions: the bytes follow, the count does not.
    expect(await suite.rows.startRun(first.id, 'ready', 'run-2')).toBe(true);
    expect(await suite.rows.finishRun(first.id, 'run-2', rendition(GiB))).toBe(true);
    // A superseded run writes nothing, so it counts nothing.
    expect(await suite.rows.finishRun(first.id, 'run-1', rendition(7 * GiB))).toBe(false);
    await suite.rows.addViews(new Map([[first.id, 3]]));
    expect(await suite.rows.countByOwner(uid)).toBe(2);
    await suite.rows.update(second.id, { title: 'renamed', visibility: 'private' });
    expect(await suite.rows.countByOwner(uid)).toBe(1);
    expect(await suite.rows.usageOf(uid)).toEqual({ videoCount: 2, storageUsed: 4 * GiB + 1000 });

    await suite.rows.remove(second.id);
    await suite.rows.remove(second.id);
    expect(await suite.rows.usageOf(uid)).toEqual({ videoCount: 1, storageUsed: 4 * GiB });
    expect(await suite.rows.countByOwner(uid)).toBe(1);
    await suite.rows.remove(first.id);
    expect(await suite.rows.usageOf(uid)).toEqual({ videoCount: 0, storageUsed: 0 });
    expect(await suite.rows.countByOwner(uid)).toBe(0);
  });

  it('is unchanged by an insert the database refuses', async () => {
    const uid = newUid();
    const kept = video(uid, 500);
    await suite.rows.insert(kept);
    await expect(suite.rows.insert({ ...video(uid, 900), id: kept.id })).rejects.toThrow();
    expect(await suite.rows.usageOf(uid)).toEqual({ videoCount: 1, storageUsed: 500 });
  });

  it('gives a page of accounts theirs, and drops an account’s with its videos', async () => {
    const [one, two, none] = [newUid(), newUid(), newUid()];
    for (const size of [10, 20, 30]) await suite.rows.insert(video(one, size));
    await suite.rows.insert(video(two, 7));
    const usage = await suite.rows.usagesOf([one, two, none]);
    expect(Object.fromEntries(usage)).toEqual({ [one]: { videoCount: 3, storageUsed: 60 }, [two]: { videoCount: 1, storageUsed: 7 } });

    await suite.db.transaction((manager) => suite.rows.removeAllOf(one, manager));
    expect(await suite.rows.usageOf(one)).toEqual({ videoCount: 0, storageUsed: 0 });
    expect(await suite.rows.usageOf(two)).toEqual({ videoCount: 1, storageUsed: 7 });
  });

  it('gives a list its total: kept for a whole space or its public videos, counted for a search', async () => {
    const uid = newUid();
    const titled = (title: string, visibility: Visibility) => ({ ...video(uid, 1), title, visibility });
    for (const one of [
      titled('海边 trip', 'public'),
      titled('海边 night', 'private'),
      titled('city', 'public'),
      titled('海边', 'unlisted'),
    ])
      await suite.rows.insert(one);
    const list = (visibilities: Visibility[], words: string[] = []) =>
      suite.rows.listByOwner(uid, visibilities, { sort: 'new', words, page: 1, pageSize: 2, after: null });
    expect((await list([...VISIBILITIES])).total).toBe(4);
    expect((await list(['public'])).total).toBe(2);
    expect((await list([...VISIBILITIES], ['海边'])).total).toBe(3);
    expect((await list(['public'], ['海边'])).total).toBe(1);
    expect((await list(['public', 'unlisted'])).total).toBe(3);
    expect((await suite.rows.listByOwner(newUid(), ['public'], { sort: 'new', words: [], page: 1, pageSize: 2, after: null })).total).toBe(
      0,
    );
  });

  it('stays exact under concurrent uploads, runs and deletes of one account', async () => {
    const uid = newUid();
    const videos = Array.from({ length: 40 }, (_, i) => video(uid, 1000 + i));
    await Promise.all(videos.map((one) => suite.rows.insert(one)));
    await Promise.all(
      videos.map((one, i) =>
        [
          () => suite.rows.remove(one.id),
          () => suite.rows.finishRun(one.id, 'run-1', rendition(i)),
          () => suite.rows.insert(video(uid, i)),
          () => suite.rows.update(one.id, { visibility: 'private' }),
        ][i % 4](),
      ),
    );
    const usage = await totals(uid);
    expect(usage).toEqual(await summed(uid));
    expect(usage).toMatchObject({ videoCount: 40 - 10 + 10, publicVideos: 40 - 10 + 10 - 10 });
  });
});

describe('VideoUsage1770000000000', () => {
  it('counts the videos written before it (SQLite)', async () => {
    const db = await databaseBefore(VideoUsage1770000000000);
    try {
      const insert = (id: string, uid: number, size: number, renditions: number, visibility: string) =>
        db.query(
          'INSERT INTO videos (id, uid, title, description, size, mime, sha256, status, storage_key, created_at, rendition_bytes, visibility) ' +
            "VALUES (?, ?, 't', '', ?, 'video/mp4', 'x', 'ready', 'k', '2020-01-01 00:00:00', ?, ?)",
          [id, uid, size, renditions, visibility],
        );
      await insert('a'.repeat(20), 1, 100, 50, 'public');
      await insert('b'.repeat(20), 1, 200, 0, 'private');
      await insert('c'.repeat(20), 2, 5, 5, 'unlisted');
      const runner = db.createQueryRunner();
      try {
        await new VideoUsage1770000000000().up(runner);
      } finally {
        await runner.release();
      }
      expect(await db.query('SELECT uid, videos, public_videos, bytes FROM video_usage ORDER BY uid')).toEqual([
        { uid: 1, videos: 2, public_videos: 1, bytes: 350 },
        { uid: 2, videos: 1, public_videos: 0, bytes: 10 },
      ]);
      await insert('d'.repeat(20), 2, 1, 0, 'unlisted');
      expect(await db.query('SELECT videos, public_videos, bytes FROM video_usage WHERE uid = 2')).toEqual([
        { videos: 2, public_videos: 0, bytes: 11 },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
