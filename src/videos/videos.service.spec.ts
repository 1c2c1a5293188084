import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { Errno } from '../common/errno.js';
import { PreparedStatements } from '../database/prepared-statements.js';
import { LocalDiskStorage } from '../infra/storage/local-disk.storage.js';
import { memoryDatabase } from '../../test/support/database.js';
import { errnoOf, StepClock, unitConfig } from '../../test/support/unit.js';
import type { VideoPipeline } from './processing/video-pipeline.js';
import { VideoProcessor } from './processing/video-processor.js';
import type { ReceivedUpload } from './video-upload.interceptor.js';
import { Video } from './video.entity.js';
import { VideoRepository } from './video.repository.js';
import { VideosService } from './videos.service.js';

/** The job engine as a list of what was handed to it. */
class RecordingProcessor extends VideoProcessor {
  readonly submitted: [string, string][] = [];
  submit(videoId: string, run: string): Promise<void> {
    this.submitted.push([videoId, run]);
    return Promise.resolve();
  }
  idle(): Promise<void> {
    return Promise.resolve();
  }
  status() {
    return Promise.resolve({ engine: 'in-process' as const, local_worker: false, waiting: 0, active: 0, workers: 0 });
  }
}

const OWNER = 1_234_567_890;
const OTHER = 2_345_678_901;
const HOUR_AGO = new Date(Date.now() - 2 * 60 * 60_000);

describe('VideosService on SQLite and a disk', () => {
  let db: DataSource;
  let dir: string;
  let storage: LocalDiskStorage;
  let processor: RecordingProcessor;
  let decodable: boolean | null;
  let clock: StepClock;
  let service: VideosService;
  let rows: VideoRepository;
  let n = 0;

  beforeEach(async () => {
    db = await memoryDatabase();
    dir = mkdtempSync(join(tmpdir(), 'ps-videos-service-'));
    storage = new LocalDiskStorage(unitConfig({ STORAGE_DIR: dir }));
    await storage.onModuleInit();
    processor = new RecordingProcessor();
    decodable = true;
    const pipeline = { canDecode: () => Promise.resolve(decodable) } as unknown as VideoPipeline;
    clock = new StepClock();
    rows = new VideoRepository(db.getRepository(Video), new PreparedStatements(db));
    service = new VideosService(rows, storage, processor, pipeline, clock, unitConfig(), { isAdmin: () => Promise.resolve(true) });
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Stores bytes the way an upload does and returns what the interceptor hands the service. */
  async function received(fields: Partial<ReceivedUpload> = {}): Promise<ReceivedUpload> {
    const id = (++n).toString(16).padStart(20, '0');
    const storageKey = `videos/${id}`;
    const size = await storage.save(storageKey, Readable.from([Buffer.from('video bytes')]));
    return { id, storageKey, size, sha256: 'f'.repeat(64), mime: 'video/mp4', filename: 'holiday.mp4', ...fields };
  }

  const markFailed = (id: string) => db.getRepository(Video).update({ id }, { status: 'failed', failure: 'no video stream' });

  describe('create', () => {
    it('records a processing row with a new run, a default title and a time to the second, and hands the run over', async () => {
      clock.time = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
      const upload = await received();
      const video = await service.create(OWNER, upload);
      const row = await service.get(upload.id);
      expect(row).toMatchObject({
        id: upload.id,
        uid: OWNER,
        title: 'holiday',
        description: '',
        size: 11,
        status: 'processing',
        storageKey: upload.storageKey,
        run: video.run,
      });
      expect(row.run).toMatch(/^[0-9a-f]{12}$/);
      expect(row.createdAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
      expect(processor.submitted).toEqual([[upload.id, video.run]]);
    });

    it('keeps a title and description that were given', async () => {
      const video = await service.create(OWNER, await received({ title: '第一个视频', description: '说明' }));
      expect(await service.get(video.id)).toMatchObject({ title: '第一个视频', description: '说明' });
    });

    it('removes the file when the database refuses the row, and hands nothing over', async () => {
      const upload = await received();
      // A NOT NULL column left empty: a refusal after which the row surely does not exist.
      await expect(service.create(null as unknown as number, upload)).rejects.toThrow();
      expect(await storage.stat(upload.storageKey)).toBeNull();
      expect(processor.submitted).toEqual([]);
    });
  });

  describe('get and list', () => {
    it('answers 2004 for an id of any other form or with no row, without a query for the malformed', async () => {
      expect(await errnoOf(service.get('../etc/passwd'))).toBe(Errno.VideoNotFound);
      expect(await errnoOf(service.get('A'.repeat(20)))).toBe(Errno.VideoNotFound);
      expect(await errnoOf(service.get('0'.repeat(20)))).toBe(Errno.VideoNotFound);
    });

    it("lists one owner's videos newest first, a page at a time, with the total", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await service.create(OWNER, await received())).id);
      await service.create(OTHER, await received());
      const first = await service.list(
        OWNER,
        { id: 1, uid: OWNER, role: 'user' },
        { sort: 'new', words: [], page: 1, pageSize: 2, after: null },
      );
      expect(first.total).toBe(5);
      expect(first.videos.map((v) => v.id)).toEqual([ids[4], ids[3]]);
      expect(
        (
          await service.list(OWNER, { id: 1, uid: OWNER, role: 'user' }, { sort: 'new', words: [], page: 3, pageSize: 2, after: null })
        ).videos.map((v) => v.id),
      ).toEqual([ids[0]]);
      expect(
        (await service.list(OWNER, { id: 1, uid: OWNER, role: 'user' }, { sort: 'new', words: [], page: 4, pageSize: 2, after: null }))
          .videos,
      ).toEqual([]);
    });

    it('shows others only public videos, the owner and admins every one; a private video is 2004 to others', async () => {
      const shown = await service.create(OWNER, await received());
      const unlisted = await service.create(OWNER, { ...(await received()), visibility: 'unlisted' });
      const hidden = await service.create(OWNER, { ...(await received()), visibility: 'private' });
      const ids = async (viewer: Parameters<VideosService['list']>[1]) =>
        (await service.list(OWNER, viewer, { sort: 'new', words: [], page: 1, pageSize: 10, after: null })).videos.map((v) => v.id);
      expect(await ids(undefined)).toEqual([shown.id]);
      expect(await ids({ id: 1, uid: OTHER, role: 'user' })).toEqual([shown.id]);
      expect(await ids({ id: 1, uid: OWNER, role: 'user' })).toEqual([hidden.id, unlisted.id, shown.id]);
      expect(await ids({ id: 1, uid: OTHER, role: 'admin' })).toEqual([hidden.id, unlisted.id, shown.id]);
      expect(await errnoOf(service.view(hidden.id, undefined))).toBe(Errno.VideoNotFound);
      expect(await errnoOf(service.view(hidden.id, { id: 1, uid: OTHER, role: 'user' }))).toBe(Errno.VideoNotFound);
      expect((await service.view(hidden.id, { id: 1, uid: OTHER, role: 'admin' })).id).toBe(hidden.id);
      expect((await service.view(unlisted.id, undefined)).id).toBe(unlisted.id);
      expect(await rows.countByOwner(OWNER)).toBe(1);
    });
  });

  describe('delete', () => {
    it('lets only the owner delete (2005), and 2004 for no such video', async () => {
      const video = await service.create(OWNER, await received());
      expect(await errnoOf(service.delete({ id: 1, uid: OTHER, role: 'user' }, video.id))).toBe(Errno.NotVideoOwner);
      expect(await errnoOf(service.delete({ id: 1, uid: OWNER, role: 'user' }, 'f'.repeat(20)))).toBe(Errno.VideoNotFound);
      expect(await rows.exists(video.id)).toBe(true);
    });

    it('removes the row, the original, a v1 cover and every rendition', async () => {
      const video = await service.create(OWNER, await received());
      const renditionKey = `renditions/${video.id}/a1`;
      await storage.save(`${renditionKey}/video.mp4`, Readable.from([Buffer.from('mp4')]));
      await storage.save(`${renditionKey}/hls/master.m3u8`, Readable.from([Buffer.from('#EXTM3U')]));
      await storage.save(`covers/${video.id}.jpg`, Readable.from([Buffer.from('jpg')]));
      await db.getRepository(Video).update({ id: video.id }, { renditionKey, coverKey: `covers/${video.id}.jpg` });
      await service.delete({ id: 1, uid: OWNER, role: 'user' }, video.id);
      expect(await rows.exists(video.id)).toBe(false);
      expect(await storage.list('')).toEqual([]);
    });

    it('keeps the row gone even when a file cannot be removed (the operator is told)', async () => {
      const video = await service.create(OWNER, await received());
      vi.spyOn(storage, 'delete').mockRejectedValue(new Error('disk gone'));
      const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      await service.delete({ id: 1, uid: OWNER, role: 'user' }, video.id);
      expect(await rows.exists(video.id)).toBe(false);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining(`Video ${video.id} deleted but a file stayed`));
    });
  });

  describe('reprocess', () => {
    it('starts a new run on a failed video and hands it over', async () => {
      const video = await service.create(OWNER, await received());
      await markFailed(video.id);
      const again = await service.reprocess({ id: 1, uid: OWNER, role: 'user' }, video.id);
      expect(again).toMatchObject({ status: 'processing', failure: null });
      expect(again.run).not.toBe(video.run);
      expect(processor.submitted.at(-1)).toEqual([video.id, again.run]);
    });

    it('answers a video still processing as it is, with no second run', async () => {
      const video = await service.create(OWNER, await received());
      expect((await service.reprocess({ id: 1, uid: OWNER, role: 'user' }, video.id)).run).toBe(video.run);
      expect(processor.submitted).toHaveLength(1);
    });

    it('answers 2005 to anyone but the owner and 2008 when the original cannot be decoded, changing nothing', async () => {
      const video = await service.create(OWNER, await received());
      await markFailed(video.id);
      expect(await errnoOf(service.reprocess({ id: 1, uid: OTHER, role: 'user' }, video.id))).toBe(Errno.NotVideoOwner);
      decodable = false;
      expect(await errnoOf(service.reprocess({ id: 1, uid: OWNER, role: 'user' }, video.id))).toBe(Errno.CannotProcess);
      expect(await service.get(video.id)).toMatchObject({ status: 'failed', run: video.run });
      expect(processor.submitted).toHaveLength(1);
    });
  });

  describe('sweepOrphans', () => {
    const age = (key: string) => utimesSync(storage.localPath(key), HOUR_AGO, HOUR_AGO);

    it('removes hour-old files and rendition sets that no row names, and keeps the rest', async () => {
      const video = await service.create(OWNER, await received());
      const current = `renditions/${video.id}/cur`;
      await db.getRepository(Video).update({ id: video.id }, { renditionKey: current, coverKey: `${current}/cover.jpg` });
      const orphan = await received();
      const keys = [
        video.storageKey,
        `${current}/video.mp4`,
        `renditions/${video.id}/lost/video.mp4`,
        orphan.storageKey,
        `covers/${orphan.id}.jpg`,
        `covers/${video.id}-0badc0de.jpg`,
      ];
      for (const key of keys.slice(1)) if (!key.startsWith('videos/')) await storage.save(key, Readable.from([Buffer.from('x')]));
      for (const key of keys) age(key);
      const young = await received();

      expect(await service.sweepOrphans()).toBe(4);
      const left = (await storage.list('')).map((entry) => entry.key).sort();
      expect(left).toEqual([`${current}/video.mp4`, video.storageKey, young.storageKey].sort());
    });
  });
});
