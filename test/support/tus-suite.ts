import { createHash } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import * as tus from 'tus-js-client';
import { KvStore } from '../../src/infra/kv.store.js';
import { VideoProcessor } from '../../src/videos/processing/video-processor.js';
import { VideoIngest } from '../../src/videos/video-ingest.js';
import { login, register, type Account } from './accounts.js';
import { mp4 } from './fixtures.js';
import { useApp } from './e2e.js';

import { startS3 } from './s3.js';
import type { StorageKind } from './video-suite.js';

/** The tus suite, once with the videos on local disk and once in S3 (the parts are on local disk in both). */
export function tusSuite(kind: StorageKind): void {
  const CAP = 4 * 1024 * 1024;
  const TUS = '/api/videos/tus';
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  let account: Account;
  let cookie: string;
  let base: string;
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let intruderCookie: string | undefined;

  /** A second account's session. */
  async function intruder(): Promise<string> {
    if (!intruderCookie) {
      const other = await register(t.client(), smtp, 'intruder');
      intruderCookie = String((await login(t.client(), other)).headers['set-cookie']).split(';')[0];
    }
    return intruderCookie;
  }

  // Registered before the app's hooks: the S3 server stops after the app closed.
  afterAll(async () => {
    await s3?.stop();
  });

  const { t, smtp } = useApp(async () => {
    if (kind === 's3') s3 = await startS3();
    return { UPLOAD_MAX_BYTES: String(CAP), ...s3?.env };
  });

  beforeAll(async () => {
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    account = await register(t.client(), smtp, 'tus');
    cookie = String((await login(t.client(), account)).headers['set-cookie']).split(';')[0];
  });

  /** A tus creation request; resolves with the upload's URL. */
  async function create(length: number, as = cookie, metadata = 'filename Y2xpcC5tcDQ='): Promise<Response> {
    return fetch(`${base}${TUS}`, {
      method: 'POST',
      headers: { Cookie: as, 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length), 'Upload-Metadata': metadata },
    });
  }

  interface PatchOptions {
    /** Destroy the connection after this many bytes of `data`. */
    cutAfter?: number;
    as?: string;
    contentType?: string;
  }

  /** Sends `data` at `offset` over a raw connection; with `cutAfter`, destroys it after that many bytes. */
  function patch(
    url: string,
    offset: number,
    data: Buffer,
    { cutAfter, as = cookie, contentType = 'application/offset+octet-stream' }: PatchOptions = {},
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string } | 'cut'> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'PATCH',
        headers: {
          Cookie: as,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(offset),
          'Content-Type': contentType,
          'Content-Length': String(data.length),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', (error) => (cutAfter === undefined ? reject(error) : resolve('cut')));
      if (cutAfter === undefined) {
        req.end(data);
        return;
      }
      req.write(data.subarray(0, cutAfter), () => setTimeout(() => req.destroy(), 300));
    });
  }

  /** A PATCH that must get an answer. */
  async function answered(url: string, offset: number, data: Buffer, options: PatchOptions = {}) {
    const res = await patch(url, offset, data, options);
    if (res === 'cut') throw new Error('PATCH cut');
    return res;
  }

  const videoOf = (res: { body: string }) => (JSON.parse(res.body) as { video: { id: string; sha256: string; size: number } }).video;

  const head = (url: string, as = cookie) => fetch(url, { method: 'HEAD', headers: { Cookie: as, 'Tus-Resumable': '1.0.0' } });

  const locationOf = (res: Response) => new URL(res.headers.get('location')!, base).href;

  const videoCount = async () => (await t.client().get('/api/videos').set('Cookie', cookie)).body.total as number;

  /**
   * An HTTP proxy in front of the app that passes everything on but throws away the server's answer
   * to the first PATCH that finishes an upload (status 200) and cuts that connection: the server
   * made the video, the client never heard of it.
   */
  async function lossyProxy(): Promise<{ url: string; dropped: () => number; close: () => Promise<void> }> {
    let dropped = 0;
    const server = createServer((req, res) => {
      const upstream = httpRequest(`${base}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        if (req.method === 'PATCH' && answer.statusCode === 200 && dropped === 0) {
          dropped++;
          answer.resume().on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      dropped: () => dropped,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  async function offsetOf(url: string): Promise<number> {
    return Number((await head(url)).headers.get('upload-offset'));
  }

  describe('resumable uploads (tus)', () => {
    it('takes a whole upload from tus-js-client and answers with the video', async () => {
      const file = mp4();
      const video = await new Promise<{ id: string; sha256: string; size: number }>((resolve, reject) => {
        const upload = new tus.Upload(file, {
          endpoint: `${base}${TUS}`,
          headers: { Cookie: cookie },
          metadata: { filename: 'phone.mp4', title: '断点续传' },
          chunkSize: 16 * 1024,
          onError: reject,
          onAfterResponse: (_req, res) => {
            const body = res.getBody();
            if (body && res.getStatus() === 200)
              resolve((JSON.parse(body) as { video: { id: string; sha256: string; size: number } }).video);
          },
        });
        upload.start();
      });
      expect(video).toMatchObject({ sha256: sha256(file), size: file.length, title: '断点续传' });
      await t.app.get(VideoProcessor).idle();
      expect((await t.client().get(`/api/videos/${video.id}`)).body.video.status).toBe('ready');
    });

    it('resumes from its offset after the connection is destroyed half-way, with a matching sha256', async () => {
      const file = Buffer.concat([mp4(), Buffer.alloc(512 * 1024, 3)]); // an MP4 with trailing bytes, large enough to cut
      const created = await create(file.length);
      expect(created.status).toBe(201);
      const url = new URL(created.headers.get('location')!, base).href;

      const half = Math.floor(file.length / 2);
      expect(await patch(url, 0, file, { cutAfter: half })).toBe('cut');
      const offset = await offsetOf(url);
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThanOrEqual(half);

      const finished = await patch(url, offset, file.subarray(offset));
      expect(finished).not.toBe('cut');
      const { status, body } = finished as { status: number; body: string };
      expect(status).toBe(200);
      const { video } = JSON.parse(body) as { video: { id: string; sha256: string; size: number } };
      expect(video).toMatchObject({ sha256: sha256(file), size: file.length });
      console.log(
        `tus resume: connection cut after ${half} of ${file.length} bytes; the server kept ${offset}; resumed from there; sha256 ${video.sha256} matches`,
      );

      const uploadId = url.split('/').pop()!;
      const followUp = await t.client().get(`${TUS}/${uploadId}`).set('Cookie', cookie);
      expect(followUp.body).toMatchObject({ errno: 0, video: { id: video.id } });
      const stored = await t.client().get(`/api/videos/${video.id}/stream`).buffer(true);
      expect(sha256(stored.body as Buffer)).toBe(sha256(file));
    });

    it('answers 1011 without a login', async () => {
      const res = await create(1000, 'ps.sid=nobody');
      expect(await res.json()).toEqual({ errno: 1011, msg: '请先登录' });
    });

    it('announces the cap and refuses a larger upload with 413 / 2003', async () => {
      const options = await fetch(`${base}${TUS}`, { method: 'OPTIONS', headers: { Cookie: cookie } });
      expect(options.headers.get('tus-max-size')).toBe(String(CAP));
      const res = await create(CAP + 1);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ errno: 2003, msg: '视频文件过大' });
    });

    it('refuses a finished upload that is not a video (2002), keeping no file and no row', async () => {
      const before = (await t.client().get('/api/videos').set('Cookie', cookie)).body.total as number;
      const text = Buffer.from('not a video at all\n'.repeat(100));
      const url = new URL((await create(text.length)).headers.get('location')!, base).href;
      const res = await answered(url, 0, text);
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body)).toEqual({ errno: 2002, msg: '不支持的视频格式' });
      expect((await t.client().get('/api/videos').set('Cookie', cookie)).body.total).toBe(before);
      expect((await head(url)).status).toBe(404);
    });

    it('keeps someone else out of an upload (403 / 2005)', async () => {
      const url = new URL((await create(1000)).headers.get('location')!, base).href;
      const res = await head(url, await intruder());
      expect(res.status).toBe(403);
    });

    it('answers OPTIONS without a login with 204 and the protocol headers; other methods still need one (1011)', async () => {
      for (const path of [TUS, `${TUS}/0123456789abcdef0123456789abcdef`]) {
        const res = await fetch(`${base}${path}`, { method: 'OPTIONS' });
        expect(res.status).toBe(204);
        expect(res.headers.get('tus-resumable')).toBe('1.0.0');
        expect(res.headers.get('tus-version')).toBe('1.0.0');
        expect(res.headers.get('tus-extension')?.split(',')).toContain('creation');
        expect(res.headers.get('tus-max-size')).toBe(String(CAP));
      }
      const url = locationOf(await create(100));
      expect(JSON.parse((await answered(url, 0, Buffer.alloc(10), { as: 'ps.sid=nobody' })).body)).toEqual({
        errno: 1011,
        msg: '请先登录',
      });
    });

    it('answers 415 / 9000 to a PATCH that is not application/offset+octet-stream, keeping the offset', async () => {
      const url = locationOf(await create(100));
      const res = await answered(url, 0, Buffer.from('{"a":1}'), { contentType: 'application/json' });
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body)).toEqual({ errno: 9000, msg: '请求参数错误' });
      expect(await offsetOf(url)).toBe(0);
    });
  });

  describe('a finished upload is never made twice (tus)', () => {
    const clip = () => Buffer.concat([mp4(), Buffer.alloc(256 * 1024, 7)]);

    it('still answers HEAD after the final reply was lost, and a repeated final PATCH answers the same video', async () => {
      const before = await videoCount();
      const file = clip();
      const url = locationOf(await create(file.length));
      const first = await answered(url, 0, file);
      expect(first.status).toBe(200);
      const video = videoOf(first);

      const res = await head(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('upload-offset')).toBe(String(file.length));
      expect(res.headers.get('upload-length')).toBe(String(file.length));
      expect(res.headers.get('tus-resumable')).toBe('1.0.0');
      expect(res.headers.get('cache-control')).toBe('no-store');

      const tail = 1000;
      for (const [offset, data] of [
        [file.length, Buffer.alloc(0)],
        [file.length - tail, file.subarray(file.length - tail)],
      ] as const) {
        const again = await answered(url, offset, data);
        expect(again.status).toBe(200);
        expect(again.headers['x-video-id']).toBe(video.id);
        expect(again.headers['upload-offset']).toBe(String(file.length));
        // The same answer; only processing may have moved on since.
        const body = JSON.parse(again.body) as { errno: number; msg: string; video: Record<string, unknown> };
        expect(body).toMatchObject({ errno: 0, msg: '上传成功', video: { id: video.id, sha256: video.sha256, size: video.size } });
        expect(Object.keys(body.video).sort()).toEqual(Object.keys(JSON.parse(first.body).video as object).sort());
      }
      expect(await videoCount()).toBe(before + 1);
    });

    it('ends with one video when tus-js-client resumes after a lost final reply', async () => {
      const before = await videoCount();
      const proxy = await lossyProxy();
      try {
        const file = clip();
        const upload = await new Promise<tus.Upload>((resolve, reject) => {
          const upload: tus.Upload = new tus.Upload(file, {
            endpoint: `${proxy.url}${TUS}`,
            headers: { Cookie: cookie },
            metadata: { filename: 'lost.mp4' },
            chunkSize: 64 * 1024,
            retryDelays: [0, 200, 500],
            onError: reject,
            onSuccess: () => resolve(upload),
          });
          upload.start();
        });
        expect(proxy.dropped()).toBe(1);
        const result = await t
          .client()
          .get(`${TUS}/${upload.url!.split('/').pop()}`)
          .set('Cookie', cookie);
        expect(result.body).toMatchObject({ errno: 0, video: { sha256: sha256(file), size: file.length } });
        expect(await videoCount()).toBe(before + 1);
      } finally {
        await proxy.close();
      }
    });

    it('makes one video of final PATCHes and HEADs that arrive while the upload is being finished', async () => {
      const before = await videoCount();
      const file = clip();
      const url = locationOf(await create(file.length));
      const tail = 1000;
      expect((await answered(url, 0, file.subarray(0, file.length - tail))).status).toBe(204);

      // Hold the first finish inside VideoIngest until the others are waiting.
      const ingest = t.app.get(VideoIngest);
      const original = ingest.ingest.bind(ingest);
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const spy = vi.spyOn(ingest, 'ingest').mockImplementation(async (source: Readable) => {
        entered();
        await gate;
        return original(source);
      });
      try {
        const first = answered(url, file.length - tail, file.subarray(file.length - tail));
        await inside;
        const others = Promise.all([
          answered(url, file.length, Buffer.alloc(0)),
          answered(url, file.length - tail, file.subarray(file.length - tail)),
        ]);
        const offset = head(url);
        await new Promise((resolve) => setTimeout(resolve, 300));
        release();
        const answers = [await first, ...(await others)];
        const ids = answers.map((res) => (expect(res.status).toBe(200), videoOf(res).id));
        expect(new Set(ids).size).toBe(1);
        expect((await offset).headers.get('upload-offset')).toBe(String(file.length));
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
      expect(await videoCount()).toBe(before + 1);
    });

    it('finds the video already made when its record could not be written, instead of making a second', async () => {
      const before = await videoCount();
      const file = clip();
      const url = locationOf(await create(file.length));
      const kv = t.app.get(KvStore);
      const set = kv.set.bind(kv);
      const spy = vi
        .spyOn(kv, 'set')
        .mockImplementation((key: string, value: unknown, ttl: number) =>
          key.startsWith('tus-video:') ? Promise.reject(new Error('cache down')) : set(key, value, ttl),
        );
      let failed: Awaited<ReturnType<typeof answered>>;
      try {
        failed = await answered(url, 0, file);
      } finally {
        spy.mockRestore();
      }
      expect(failed.status).toBe(500);
      expect(await videoCount()).toBe(before + 1); // the row was made before the record failed

      expect((await head(url)).headers.get('upload-offset')).toBe(String(file.length));
      const again = await answered(url, file.length, Buffer.alloc(0));
      expect(again.status).toBe(200);
      expect(videoOf(again)).toMatchObject({ sha256: sha256(file), size: file.length });
      const listed = await t.client().get('/api/videos').set('Cookie', cookie);
      expect(listed.body.total).toBe(before + 1);
      expect(listed.body.videos[0].id).toBe(videoOf(again).id);
    });

    it('keeps a finished upload from another account (403 / 2005)', async () => {
      const file = clip();
      const url = locationOf(await create(file.length));
      expect((await answered(url, 0, file)).status).toBe(200);
      const other = await intruder();
      expect((await head(url, other)).status).toBe(403);
      const res = await answered(url, file.length, Buffer.alloc(0), { as: other });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toEqual({ errno: 2005, msg: '无权操作该视频' });
      const result = await t
        .client()
        .get(`${TUS}/${url.split('/').pop()}`)
        .set('Cookie', other);
      expect(result.body).toEqual({ errno: 2005, msg: '无权操作该视频' });
    });
  });
}
