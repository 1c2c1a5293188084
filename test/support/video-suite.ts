import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join, sep } from 'node:path';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { PreparedStatements } from '../../src/database/prepared-statements.js';
import { InProcessProcessor } from '../../src/videos/processing/in-process.processor.js';
import { VideoPipeline } from '../../src/videos/processing/video-pipeline.js';
import { VideoProcessor } from '../../src/videos/processing/video-processor.js';
import { Video } from '../../src/videos/video.entity.js';
import { VideosService } from '../../src/videos/videos.service.js';
import { login, register, type Account } from './accounts.js';
import { mp4, shortMp4, undecodableMp4, webm } from './fixtures.js';
import { useApp } from './e2e.js';
import type { Env } from './test-app.js';

import { startS3 } from './s3.js';

/** Where the videos go: the local disk, or an S3-protocol server (s3rver) on loopback. */
export type StorageKind = 'local' | 's3';

/** The whole video e2e suite, run once per storage (test/videos*.e2e-spec.ts). */
export function videoSuite(kind: StorageKind): void {
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let s3Dir: string | undefined;

  async function storageEnv(): Promise<Env> {
    if (kind === 'local') return {};
    s3 = await startS3();
    s3Dir = s3.dir;
    return s3.env;
  }

  const CAP = 1024 * 1024;
  const UPLOAD = '/api/videos/video_upload';
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  let owner: TestAgent;
  let other: TestAgent;
  let ownerAccount: Account;
  let otherAccount: Account;

  /** Every stored file, partial writes included: under STORAGE_DIR, or in the S3 server's folder. */
  function storedFiles(): string[] {
    const root = s3Dir ?? t.config.storageDir;
    if (!existsSync(root)) return [];
    // (Node 20's recursive readdir with file types misses nested entries: names, then stat.)
    return readdirSync(root, { recursive: true, encoding: 'utf8' })
      .map((name) => join(root, name))
      .filter((path) => statSync(path).isFile());
  }

  /** Stored objects only (s3rver keeps md5 and metadata files beside each object's bytes). */
  function storedObjects(): string[] {
    return kind === 's3' ? storedFiles().filter((file) => file.endsWith('._S3rver_object')) : storedFiles();
  }

  async function rowCount(): Promise<number> {
    return t.app.get(DataSource).getRepository(Video).count();
  }

  async function settled(id: string) {
    await t.app.get(VideoProcessor).idle();
    return (await owner.get(`/api/videos/${id}`)).body.video;
  }

  function upload(client: TestAgent, file: Buffer, filename = 'clip-2s.mp4', fields: Record<string, string> = {}) {
    const req = client.post(UPLOAD);
    for (const [name, value] of Object.entries(fields)) void req.field(name, value);
    return req.attach('video', file, filename);
  }

  /** A raw multipart upload whose body we write by hand, to stop or cut it half-way. */
  function rawUpload(cookie: string): {
    req: ClientRequest;
    response: Promise<IncomingMessage & { text: Promise<string> }>;
    boundary: string;
  } {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const boundary = 'ps-test-boundary';
    const req = httpRequest({
      port,
      method: 'POST',
      path: UPLOAD,
      headers: { Cookie: cookie, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' },
    });
    const response = new Promise<IncomingMessage & { text: Promise<string> }>((resolve, reject) => {
      req.on('response', (res) => {
        const text = new Promise<string>((done) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => done(body));
        });
        resolve(Object.assign(res, { text }));
      });
      req.on('error', reject);
    });
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
    return { req, response, boundary };
  }

  async function cookieOf(client: TestAgent, account: Account): Promise<string> {
    return String((await login(client, account)).headers['set-cookie']).split(';')[0];
  }

  // Registered before the app's hooks: the S3 server stops after the app closed.
  afterAll(async () => {
    await s3?.stop();
  });

  const { t, smtp } = useApp(async () => ({ UPLOAD_MAX_BYTES: String(CAP), ...(await storageEnv()) }));

  beforeAll(async () => {
    ownerAccount = await register(t.client(), smtp, 'owner');
    otherAccount = await register(t.client(), smtp, 'other');
    owner = t.client();
    other = t.client();
    expect((await login(owner, ownerAccount)).body.errno).toBe(0);
    expect((await login(other, otherAccount)).body.errno).toBe(0);
  });

  describe('upload and processing', () => {
    it('stores an MP4 with its sha256 and size, then probes it and makes a JPEG cover', async () => {
      const file = mp4();
      const res = await upload(owner, file);
      expect(res.body).toMatchObject({ errno: 0, msg: '上传成功' });
      const { video } = res.body;
      expect(video).toMatchObject({
        uid: ownerAccount.uid,
        title: 'clip-2s',
        description: '',
        size: file.length,
        sha256: sha256(file),
        mime: 'video/mp4',
        status: 'processing',
        stream_url: `/api/videos/${video.id}/stream`,
      });
      const ready = await settled(video.id);
      expect(ready).toMatchObject({ status: 'ready', width: 320, height: 240, codec: 'h264' });
      expect(ready.cover_url).toMatch(new RegExp(`^/api/videos/${video.id}/cover\\?v=[0-9a-f]{8}$`));
      expect(ready.duration).toBeCloseTo(2, 0);
      const cover = await owner.get(ready.cover_url).buffer(true);
      expect(cover.status).toBe(200);
      expect(cover.headers['content-type']).toBe('image/jpeg');
      expect([...(cover.body as Buffer).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    });

    it('stores a WebM with the given title and description', async () => {
      const file = webm();
      const res = await upload(owner, file, 'phone.webm', { title: '  我的视频  ', description: '第一段' });
      expect(res.body.video).toMatchObject({ title: '我的视频', description: '第一段', mime: 'video/webm', sha256: sha256(file) });
      expect(await settled(res.body.video.id)).toMatchObject({ status: 'ready', width: 160, height: 120, codec: 'vp9' });
    });

    it('takes the first frame as the cover of a clip shorter than a second', async () => {
      const res = await upload(owner, shortMp4(), 'short.mp4');
      const ready = await settled(res.body.video.id);
      expect(ready.status).toBe('ready');
      expect((await owner.get(ready.cover_url)).status).toBe(200);
    });

    it('marks a file that cannot be decoded failed: it stays downloadable and has no cover (2006)', async () => {
      const file = undecodableMp4();
      const res = await upload(owner, file, 'broken.mp4');
      const video = await settled(res.body.video.id);
      expect(video).toMatchObject({ status: 'failed', duration: null, cover_url: null });
      const stream = await owner.get(video.stream_url).buffer(true);
      expect(Buffer.compare(stream.body as Buffer, file)).toBe(0);
      const cover = await owner.get(`/api/videos/${video.id}/cover`);
      expect(cover.status).toBe(404);
      expect(cover.body).toEqual({ errno: 2006, msg: '封面尚未生成' });
    });
  });

  describe('upload refusals leave no file and no row', () => {
    let before: { files: number; rows: number };
    beforeEach(async () => {
      await t.app.get(VideoProcessor).idle();
      before = { files: storedFiles().length, rows: await rowCount() };
    });
    afterEach(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect({ files: storedFiles().length, rows: await rowCount() }).toEqual(before);
    });

    it('answers 1011 without a login, before reading the body', async () => {
      expect((await upload(t.client(), mp4())).body).toEqual({ errno: 1011, msg: '请先登录' });
    });

    it('answers 2002 to a text file named .mp4', async () => {
      const res = await upload(owner, Buffer.from('just some text, not a video\n'.repeat(100)), 'notes.mp4');
      expect(res.body).toEqual({ errno: 2002, msg: '不支持的视频格式' });
    });

    it('answers 2002 to a tiny non-video file', async () => {
      expect((await upload(owner, Buffer.from('hi'), 'x.mp4')).body.errno).toBe(2002);
    });

    it('answers 2003 to a file over UPLOAD_MAX_BYTES', async () => {
      const big = Buffer.concat([mp4().subarray(0, 64), Buffer.alloc(CAP)]);
      const res = await upload(owner, big, 'big.mp4');
      expect(res.body).toEqual({ errno: 2003, msg: '视频文件过大' });
    });

    it('answers 2001 without a file in the field video', async () => {
      expect((await owner.post(UPLOAD).field('title', 'no file')).body).toEqual({ errno: 2001, msg: '请选择要上传的视频' });
      expect((await owner.post(UPLOAD).send({ title: 'json' })).body.errno).toBe(2001);
      expect((await owner.post(UPLOAD).attach('video', Buffer.alloc(0), '')).body.errno).toBe(2001);
    });

    it('answers 9000 to a title over 80 or a description over 2000 characters', async () => {
      expect((await upload(owner, mp4(), 'a.mp4', { title: '字'.repeat(81) })).body.errno).toBe(9000);
      expect((await upload(owner, mp4(), 'a.mp4', { description: 'd'.repeat(2001) })).body.errno).toBe(9000);
      // A field after the file: the stored file is removed again.
      const late = await owner.post(UPLOAD).attach('video', mp4(), 'a.mp4').field('title', 't'.repeat(81));
      expect(late.body.errno).toBe(9000);
      expect((await owner.post(`${UPLOAD}?title=${'t'.repeat(81)}`).attach('video', mp4(), 'a.mp4')).body.errno).toBe(9000);
    });

    it('removes the stored file when the database write fails (9999)', async () => {
      // The row and its title's grams go in as one write (VideoRepository.insert).
      const insert = vi.spyOn(t.app.get(PreparedStatements), 'together').mockRejectedValueOnce(new Error('database gone'));
      try {
        expect((await upload(owner, mp4())).body).toEqual({ errno: 9999, msg: '服务器内部错误' });
      } finally {
        insert.mockRestore();
      }
    });

    it('answers 9000 to a file in another field', async () => {
      expect((await owner.post(UPLOAD).attach('file', mp4(), 'a.mp4')).body.errno).toBe(9000);
    });

    it('answers 2002 as soon as the first bytes fail, before the body ends', async () => {
      const { req, response } = rawUpload(await cookieOf(t.client(), ownerAccount));
      req.write(Buffer.alloc(64 * 1024, 'a'));
      const res = await response; // the body is still open
      expect(JSON.parse(await res.text)).toEqual({ errno: 2002, msg: '不支持的视频格式' });
      expect(res.headers.connection).toBe('close');
      req.destroy();
    });

    it('answers 2003 the moment the cap is crossed, before the body ends', async () => {
      const { req, response } = rawUpload(await cookieOf(t.client(), ownerAccount));
      req.write(mp4().subarray(0, 1024));
      for (let sent = 1024; sent <= CAP; sent += 64 * 1024) req.write(Buffer.alloc(64 * 1024));
      const res = await response;
      expect(JSON.parse(await res.text)).toEqual({ errno: 2003, msg: '视频文件过大' });
      req.destroy();
    });

    it('keeps nothing of a client that disconnects half-way', async () => {
      const { req, response } = rawUpload(await cookieOf(t.client(), ownerAccount));
      response.catch(() => undefined); // the connection dies with no answer
      req.write(mp4().subarray(0, 1024));
      req.write(Buffer.alloc(200 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 200));
      req.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
  });

  describe('playback', () => {
    let file: Buffer;
    let url: string;
    beforeAll(async () => {
      file = mp4();
      url = (await upload(owner, file)).body.video.stream_url;
    });

    it('streams the whole file with its type and Accept-Ranges to anyone', async () => {
      const res = await t.client().get(url).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('video/mp4');
      expect(res.headers['accept-ranges']).toBe('bytes');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers.etag).toBeDefined();
      expect(res.headers['last-modified']).toBeDefined();
      expect(Buffer.compare(res.body as Buffer, file)).toBe(0);
    });

    it.each([
      ['the first bytes', 'bytes=0-99', 0, 99],
      ['a middle slice', 'bytes=1000-4999', 1000, 4999],
      ['a suffix', 'bytes=-500', -500, -1],
      ['an open end', 'bytes=2000-', 2000, -1],
    ])('answers 206 with %s, byte-exact', async (_name, range, from, to) => {
      const start = from < 0 ? file.length + from : from;
      const end = to < 0 ? file.length - 1 : to;
      const res = await t.client().get(url).set('Range', range).buffer(true);
      expect(res.status).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${file.length}`);
      expect(Buffer.compare(res.body as Buffer, file.subarray(start, end + 1))).toBe(0);
    });

    it('answers 416 with Content-Range bytes */SIZE to an unsatisfiable range', async () => {
      const res = await t.client().get(url).set('Range', `bytes=${file.length}-`);
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${file.length}`);
      expect(res.body).toEqual({ errno: 9000, msg: '请求参数错误' });
    });

    it('answers 304 to a conditional request for the same version', async () => {
      const first = await t.client().get(url);
      const again = await t.client().get(url).set('If-None-Match', String(first.headers.etag));
      expect(again.status).toBe(304);
    });

    it('answers 404 with 2004 for an id that names no video, whatever its form', async () => {
      for (const id of ['0123456789abcdef0123', 'nope', '..%2F..%2Fetc%2Fpasswd', '1']) {
        const res = await t.client().get(`/api/videos/${id}/stream`);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errno: 2004, msg: '视频不存在' });
        expect((await t.client().get(`/api/videos/${id}`)).body.errno).toBe(2004);
        expect((await t.client().get(`/api/videos/${id}/cover`)).status).toBe(404);
      }
    });
  });

  describe('library', () => {
    let uploader: TestAgent;
    let account: Account;
    const ids: string[] = [];

    beforeAll(async () => {
      account = await register(t.client(), smtp, 'lister');
      uploader = t.client();
      await login(uploader, account);
      for (let i = 0; i < 5; i++) ids.push((await upload(uploader, mp4(), `clip-${i}.mp4`)).body.video.id);
      await t.app.get(VideoProcessor).idle();
    });

    it("lists the caller's own videos newest first, paged, with the total", async () => {
      const first = await uploader.get('/api/videos?page=1&page_size=2');
      expect(first.body).toMatchObject({ errno: 0, msg: 'ok', total: 5, page: 1, page_size: 2 });
      expect(first.body.videos.map((v: { id: string }) => v.id)).toEqual([ids[4], ids[3]]);
      const last = await uploader.get('/api/videos?page=3&page_size=2');
      expect(last.body.videos.map((v: { id: string }) => v.id)).toEqual([ids[0]]);
      expect((await uploader.get('/api/videos?page=4&page_size=2')).body.videos).toEqual([]);
    });

    it("lists anyone's videos by uid, without a login", async () => {
      const res = await t.client().get(`/api/videos?uid=${account.uid}`);
      expect(res.body).toMatchObject({ total: 5, page: 1, page_size: 20 });
      expect(res.body.videos).toHaveLength(5);
      expect((await t.client().get('/api/videos?uid=1000000001')).body).toMatchObject({ errno: 0, total: 0, videos: [] });
    });

    it('serves a page_size over 100 as 100 and answers 9000 to a page that is not a positive integer', async () => {
      expect((await uploader.get('/api/videos?page_size=500')).body.page_size).toBe(100);
      for (const query of ['page=0', 'page=-1', 'page=abc', 'page_size=0', 'page_size=1.5', 'uid=abc', 'page=1&page=2']) {
        expect((await uploader.get(`/api/videos?${query}`)).body.errno).toBe(9000);
      }
    });

    it('answers 1011 to a list without uid and without a login', async () => {
      expect((await t.client().get('/api/videos')).body.errno).toBe(1011);
    });

    it('reports video_count in me', async () => {
      expect((await uploader.get('/api/account/me')).body.user.video_count).toBe(5);
    });

    it('answers 2005 when someone else deletes, and keeps the video', async () => {
      const res = await other.delete(`/api/videos/${ids[0]}`);
      expect(res.body).toEqual({ errno: 2005, msg: '无权操作该视频' });
      expect((await t.client().get(`/api/videos/${ids[0]}`)).body.errno).toBe(0);
    });

    it('answers 1011 to a delete without a login and 2004 to an unknown id', async () => {
      expect((await t.client().delete(`/api/videos/${ids[0]}`)).body.errno).toBe(1011);
      expect((await uploader.delete('/api/videos/ffffffffffffffffffff')).body.errno).toBe(2004);
    });

    it('deletes for the owner: the row, the file, the renditions and the cover go', async () => {
      const objectsBefore = storedObjects().length;
      const renditions = storedObjects().filter((file) => file.includes(ids[1]) && file.includes('renditions')).length;
      // The web MP4, the cover, the master playlist and a rung (playlist, init, segments).
      expect(renditions).toBeGreaterThanOrEqual(6);
      const res = await uploader.delete(`/api/videos/${ids[1]}`);
      expect(res.body).toEqual({ errno: 0, msg: '删除成功' });
      expect((await t.client().get(`/api/videos/${ids[1]}`)).body.errno).toBe(2004);
      expect((await t.client().get(`/api/videos/${ids[1]}/stream`)).status).toBe(404);
      expect(storedObjects().length).toBe(objectsBefore - 1 - renditions);
      expect(storedObjects().filter((file) => file.includes(ids[1]))).toEqual([]);
      expect((await uploader.get('/api/account/me')).body.user.video_count).toBe(4);
    });
  });

  describe('restarts', () => {
    /** A new app on the same database and storage; the clients log in again. */
    async function restart(): Promise<void> {
      await t.restart();
      owner = t.client();
      await login(owner, ownerAccount);
    }

    it('resumes videos left in processing when the app starts again', async () => {
      const res = await upload(owner, mp4());
      const id = res.body.video.id as string;
      await settled(id);
      // A new run, as when the app stopped before it could hand the video to a worker.
      await t.app.get(DataSource).getRepository(Video).update({ id }, { status: 'processing', duration: null, run: 'a1b2c3d4e5f6' });
      await restart();
      await t.app.get(VideoProcessor).idle();
      expect((await owner.get(`/api/videos/${id}`)).body.video).toMatchObject({ status: 'ready', duration: expect.any(Number) });
    });

    it('keeps one working rendition set when two runs of one video race (two workers)', async () => {
      const id = (await upload(owner, mp4())).body.video.id as string;
      await settled(id);
      const videos = t.app.get(DataSource).getRepository(Video);
      const before = await videos.findOneByOrFail({ id });
      await videos.update({ id }, { status: 'processing' });
      const pipeline = t.app.get(VideoPipeline);
      const outcomes = await Promise.all([0, 1].map(() => pipeline.run(id, before.run, new AbortController().signal)));
      expect(outcomes.sort()).toEqual(['ready', 'superseded']);
      const row = await videos.findOneByOrFail({ id });
      expect(row.status).toBe('ready');
      expect(row.renditionKey).not.toBe(before.renditionKey);
      const video = (await owner.get(`/api/videos/${id}`)).body.video;
      expect((await owner.get(video.playback.mp4_url)).status).toBe(200);
      const cover = await owner.get(`/api/videos/${id}/cover`);
      expect(cover.status).toBe(200);
      expect(cover.headers['content-type']).toBe('image/jpeg');
      // Only the winner's set is stored: the loser's and the replaced one are gone.
      const sets = new Set(
        storedObjects()
          .filter((file) => file.includes(`renditions${sep}${id}`))
          .map((file) => file.split(sep)[file.split(sep).indexOf(id) + 1]),
      );
      expect([...sets]).toEqual([row.renditionKey!.split('/')[2]]);
    });

    // The embedded engine's bound; BullMQ keeps its backlog in Redis.
    if (!process.env.REDIS_URL)
      it('holds at most PROCESSING_QUEUE_LIMIT videos in memory and takes up the rest from the database', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) ids.push((await upload(owner, mp4())).body.video.id);
        await t.app.get(VideoProcessor).idle();
        await t.app.get(DataSource).getRepository(Video).update(ids, { status: 'processing', duration: null });
        await t.restart({ PROCESSING_QUEUE_LIMIT: '2', PROCESSING_CONCURRENCY: '1' });
        owner = t.client();
        await login(owner, ownerAccount);
        const processor = t.app.get<InProcessProcessor>(VideoProcessor);
        let most = 0;
        const sample = setInterval(() => (most = Math.max(most, processor['held'].size)), 1);
        try {
          for (let i = 0; i < 4; i++) ids.push((await upload(owner, mp4())).body.video.id);
          await processor.idle();
        } finally {
          clearInterval(sample);
        }
        expect(most).toBeGreaterThan(0);
        expect(most).toBeLessThanOrEqual(2);
        for (const id of ids)
          expect((await owner.get(`/api/videos/${id}`)).body.video).toMatchObject({ status: 'ready', duration: expect.any(Number) });
      });

    // Partial files are the local disk's (S3 multipart uploads are aborted by lib-storage).
    if (kind === 'local') {
      it('sweeps stored files that no row names once they are an hour old', async () => {
        const videosDir = join(t.config.storageDir, 'videos');
        const stray = join(videosDir, 'aaaaaaaaaaaaaaaaaaaa');
        const fresh = join(videosDir, 'bbbbbbbbbbbbbbbbbbbb');
        writeFileSync(stray, 'left by a failed insert');
        writeFileSync(fresh, 'an upload still being recorded');
        const hourAgo = new Date(Date.now() - 61 * 60_000);
        utimesSync(stray, hourAgo, hourAgo);
        const kept = storedObjects().length;
        expect(await t.app.get(VideosService).sweepOrphans()).toBe(1);
        expect(existsSync(stray)).toBe(false);
        expect(existsSync(fresh)).toBe(true);
        expect(storedObjects().length).toBe(kept - 1);
        rmSync(fresh);
      });

      it('sweeps partial files of dead processes at start', async () => {
        const partials = join(t.config.storageDir, '.partial');
        mkdirSync(partials, { recursive: true });
        const dead = join(partials, `${hostname()}~999999999~deadbeef`);
        writeFileSync(dead, 'half a video');
        await restart();
        expect(existsSync(dead)).toBe(false);
      });
    }
  });
}
