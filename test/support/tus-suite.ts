import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tus from 'tus-js-client';
import { VideoProcessor } from '../../src/videos/probe/video-processor.js';
import { login, register, type Account } from './accounts.js';
import { mp4 } from './fixtures.js';
import { SmtpCapture } from './smtp-capture.js';
import { startApp, testEnv, type TestApp } from './test-app.js';

import { startS3 } from './s3.js';
import type { StorageKind } from './video-suite.js';

/** The tus suite, once with the videos on local disk and once in S3 (the parts are on local disk in both). */
export function tusSuite(kind: StorageKind): void {
  const CAP = 4 * 1024 * 1024;
  const TUS = '/api/videos/tus';
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  let smtp: SmtpCapture;
  let t: TestApp;
  let account: Account;
  let cookie: string;
  let base: string;
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;

  beforeAll(async () => {
    smtp = await new SmtpCapture().start();
    if (kind === 's3') s3 = await startS3();
    t = await startApp(testEnv({ SMTP_URL: smtp.url, UPLOAD_MAX_BYTES: String(CAP), ...s3?.env }));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    account = await register(t.client(), smtp, 'tus');
    cookie = String((await login(t.client(), account)).headers['set-cookie']).split(';')[0];
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await s3?.stop();
  });

  /** A tus creation request; resolves with the upload's URL. */
  async function create(length: number, as = cookie, metadata = 'filename Y2xpcC5tcDQ='): Promise<Response> {
    return fetch(`${base}${TUS}`, {
      method: 'POST',
      headers: { Cookie: as, 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length), 'Upload-Metadata': metadata },
    });
  }

  /** Sends `data` at `offset` over a raw connection; with `cutAfter`, destroys it after that many bytes. */
  function patch(url: string, offset: number, data: Buffer, cutAfter?: number): Promise<{ status: number; body: string } | 'cut'> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'PATCH',
        headers: {
          Cookie: cookie,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(data.length),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', (error) => (cutAfter === undefined ? reject(error) : resolve('cut')));
      if (cutAfter === undefined) {
        req.end(data);
        return;
      }
      req.write(data.subarray(0, cutAfter), () => setTimeout(() => req.destroy(), 300));
    });
  }

  async function offsetOf(url: string): Promise<number> {
    const head = await fetch(url, { method: 'HEAD', headers: { Cookie: cookie, 'Tus-Resumable': '1.0.0' } });
    return Number(head.headers.get('upload-offset'));
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
      expect(await patch(url, 0, file, half)).toBe('cut');
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
      const res = (await patch(url, 0, text)) as { status: number; body: string };
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body)).toEqual({ errno: 2002, msg: '不支持的视频格式' });
      expect((await t.client().get('/api/videos').set('Cookie', cookie)).body.total).toBe(before);
      expect((await fetch(url, { method: 'HEAD', headers: { Cookie: cookie, 'Tus-Resumable': '1.0.0' } })).status).toBe(404);
    });

    it('keeps someone else out of an upload (403 / 2005)', async () => {
      const url = new URL((await create(1000)).headers.get('location')!, base).href;
      const other = await register(t.client(), smtp, 'intruder');
      const otherCookie = String((await login(t.client(), other)).headers['set-cookie']).split(';')[0];
      const res = await fetch(url, { method: 'HEAD', headers: { Cookie: otherCookie, 'Tus-Resumable': '1.0.0' } });
      expect(res.status).toBe(403);
    });
  });
}
