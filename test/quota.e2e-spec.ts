import { existsSync, readdirSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { HOLD_TTL_MS, UploadSpace } from '../src/videos/quota/upload-space.js';
import { Video } from '../src/videos/video.entity.js';
import { login, PASSWORD, post, requestCode, type Account } from './support/accounts.js';
import { useApp, type LiveApp } from './support/e2e.js';
import { mp4 } from './support/fixtures.js';
import { parseRaw, sendOnAfterAnswer } from './support/raw-http.js';
import { randomEmail } from './support/test-app.js';

const UPLOAD = '/api/videos/video_upload';
const TUS = '/api/videos/tus';
const ME = '/api/account/me';
const STORAGE_FULL = { errno: 2007, msg: '存储空间不足' };
const MiB = 1024 * 1024;
const BOUNDARY = 'ps-quota-boundary';

interface Uploader {
  account: Account;
  client: TestAgent;
  cookie: string;
}

interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

const file = mp4();
const F = file.length;

describe('storage quota (USER_QUOTA_BYTES, per account, both upload paths)', () => {
  const adminEmail = randomEmail('admin');
  // The default holds no video at all: each test sets the quota it needs on its own account.
  const { t, smtp } = useApp({ USER_QUOTA_BYTES: String(Math.floor(F / 2)), ADMIN_EMAILS: adminEmail });
  let admin: TestAgent;
  let base: string;

  async function registerAs(email = randomEmail()): Promise<Account> {
    const client = t.client();
    const vcode = await requestCode(client, smtp, email);
    const res = await post(client, '/api/account/register', {
      email,
      vcode,
      username: 'quota',
      password_1: PASSWORD,
      password_2: PASSWORD,
    });
    if (res.body.errno !== 0) throw new Error(`register answered ${JSON.stringify(res.body)}`);
    return { email, password: PASSWORD, uid: res.body.uid as number, username: 'quota' };
  }

  /** A new account, logged in, with `quota` set by the admin (undefined: USER_QUOTA_BYTES). */
  async function uploader(quota?: number | ''): Promise<Uploader> {
    const account = await registerAs();
    const client = t.client();
    const res = await login(client, account);
    expect(res.body.errno).toBe(0);
    if (quota !== undefined) await setQuota(account, quota);
    return { account, client, cookie: String(res.headers['set-cookie']).split(';')[0] };
  }

  async function setQuota(account: Account, quota: number | '' | 'default') {
    const res = await post(admin, `/api/admin/users/${account.uid}`, { storage_quota: String(quota) });
    expect(res.body.errno).toBe(0);
  }

  const upload = (who: Uploader, bytes = file) => who.client.post(UPLOAD).attach('video', bytes, 'clip.mp4');
  const me = async (who: Uploader) => (await who.client.get(ME)).body.user as { storage_used: number; storage_quota: number | null };
  const held = (who: Uploader) => t.app.get(UploadSpace).held(who.account.uid);
  const rowsOf = (who: Uploader) => t.app.get(DataSource).getRepository(Video).countBy({ uid: who.account.uid });
  const idle = () => t.app.get(VideoProcessor).idle();

  function filesUnder(root: string): string[] {
    if (!existsSync(root)) return [];
    return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(join(root, name)).isFile());
  }

  /** Stored video files and tus parts: what a refused upload must not leave. */
  const kept = (live: LiveApp) => ({
    stored: filesUnder(live.config.storageDir).length,
    parts: filesUnder(join(live.config.dataDir, 'tus')).length,
  });

  /**
   * A raw multipart upload: the headers, the file part's head and `first`, then `more` chunk by
   * chunk while no answer came, then the end unless `end` is false (the client waits). Resolves
   * with the answer, how many bytes of the body were sent and whether the body was finished.
   */
  function rawUpload(
    who: Uploader,
    { contentLength, first, more = [], end = true }: { contentLength?: number; first: Buffer; more?: Buffer[]; end?: boolean },
  ): Promise<{ answer: RawAnswer; sent: number; finished: boolean }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Cookie: who.cookie, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` };
      if (contentLength === undefined) headers['Transfer-Encoding'] = 'chunked';
      else headers['Content-Length'] = String(contentLength);
      const req = httpRequest(`${base}${UPLOAD}`, { method: 'POST', headers });
      let sent = 0;
      let answered = false;
      let finished = false;
      req.on('response', (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          req.destroy();
          resolve({ answer: { status: res.statusCode ?? 0, headers: res.headers, body }, sent, finished });
        });
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const write = (chunk: Buffer) =>
        new Promise<void>((done) => {
          sent += chunk.length;
          if (req.write(chunk)) setImmediate(done);
          else req.once('drain', done);
        });
      void (async () => {
        req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
        await write(first);
        for (const chunk of more) {
          if (answered || req.destroyed) return;
          await write(chunk);
        }
        if (answered || req.destroyed || !end) return;
        finished = true;
        req.end(`\r\n--${BOUNDARY}--\r\n`);
      })().catch(() => undefined);
    });
  }

  /** sendOnAfterAnswer on this app, with the answer's `Connection: close` checked. */
  async function sendOnAfterRefusal(head: string): Promise<string> {
    const answer = await sendOnAfterAnswer((t.app.getHttpServer().address() as AddressInfo).port, head);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    return answer;
  }

  const tusCreate = (who: Uploader, headers: Record<string, string>) =>
    fetch(`${base}${TUS}`, {
      method: 'POST',
      headers: { Cookie: who.cookie, 'Tus-Resumable': '1.0.0', 'Upload-Metadata': 'filename Y2xpcC5tcDQ=', ...headers },
    });

  const locationOf = (res: Response) => new URL(res.headers.get('location')!, base).href;

  const tusHead = (who: Uploader, url: string) => fetch(url, { method: 'HEAD', headers: { Cookie: who.cookie, 'Tus-Resumable': '1.0.0' } });

  /**
   * A PATCH of `data` at `offset`. `openEnded`: without Content-Length, chunk by chunk, and never
   * ended, so that only the body growing can bring the answer.
   */
  function tusPatch(who: Uploader, url: string, offset: number, data: Buffer, openEnded = false): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        Cookie: who.cookie,
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
      };
      if (!openEnded) headers['Content-Length'] = String(data.length);
      const req = httpRequest(url, { method: 'PATCH', headers });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      if (!openEnded) return req.end(data);
      let at = 0;
      const next = () => {
        if (at >= data.length || req.destroyed) return;
        req.write(data.subarray(at, at + 4096), () => setTimeout(next, 1));
        at += 4096;
      };
      next();
    });
  }

  beforeAll(async () => {
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await registerAs(adminEmail);
    admin = t.client();
    expect((await login(admin, { email: adminEmail, password: PASSWORD })).body.errno).toBe(0);
  });

  describe('a refused upload keeps nothing: no stored file, no tus part, no row, no hold', () => {
    let before: ReturnType<typeof kept>;
    let who: Uploader;
    beforeEach(async () => {
      await idle();
      before = kept(t);
    });
    afterEach(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(kept(t)).toEqual(before);
      expect(await rowsOf(who)).toBe(0);
      expect(await held(who)).toBe(0);
    });

    it('answers 2007 to a multipart upload before its body when Content-Length already shows it cannot fit', async () => {
      who = await uploader(MiB);
      // Headers and a first chunk only: the answer must come while the client still owes the rest.
      const { answer, sent, finished } = await rawUpload(who, { contentLength: 3 * MiB, first: file.subarray(0, 4096), end: false });
      expect(JSON.parse(answer.body)).toEqual(STORAGE_FULL);
      expect(answer.headers.connection).toBe('close');
      expect(finished).toBe(false);
      expect(sent).toBe(4096);
    });

    it('after an early 2007, reads and drops what the client still sends (a half-close, not a reset), then closes', async () => {
      who = await uploader(MiB);
      const answer = await sendOnAfterRefusal(
        `POST ${UPLOAD} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${who.cookie}\r\n` +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${64 * MiB}\r\n\r\n` +
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="big.mp4"\r\n\r\n`,
      );
      const { status, body } = parseRaw(answer);
      expect(status).toBe(200);
      expect(body).toEqual(STORAGE_FULL);
    });

    it('answers 2007 the moment a chunked multipart upload (no Content-Length) crosses the free space', async () => {
      who = await uploader(MiB);
      const more = Array.from({ length: 256 }, () => Buffer.alloc(64 * 1024)); // 16 MiB offered
      const { answer, sent, finished } = await rawUpload(who, { first: file, more });
      expect(JSON.parse(answer.body)).toEqual(STORAGE_FULL);
      expect(finished).toBe(false);
      expect(sent).toBeGreaterThan(MiB);
      expect(sent).toBeLessThan(12 * MiB);
    });

    it('answers 2007 when the account is already at its quota (USER_QUOTA_BYTES holds no video here)', async () => {
      who = await uploader();
      expect((await me(who)).storage_quota).toBe(Math.floor(F / 2));
      expect((await upload(who)).body).toEqual(STORAGE_FULL);
    });

    it('answers 2007 (HTTP 413) to a tus creation whose Upload-Length exceeds the free space', async () => {
      who = await uploader(F - 1);
      const res = await tusCreate(who, { 'Upload-Length': String(F) });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual(STORAGE_FULL);
      expect(res.headers.get('location')).toBeNull();
    });

    it('answers 2007 to a tus PATCH once its length no longer fits (quota lowered), and removes the upload', async () => {
      who = await uploader(10 * F);
      const created = await tusCreate(who, { 'Upload-Length': String(F) });
      expect(created.status).toBe(201);
      const url = locationOf(created);
      expect((await tusPatch(who, url, 0, file.subarray(0, 4096))).status).toBe(204);
      await setQuota(who.account, Math.floor(F / 2));
      const refused = await tusPatch(who, url, 4096, file.subarray(4096));
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toEqual(STORAGE_FULL);
      expect((await tusHead(who, url)).status).toBe(404);
    });

    it('answers 2007 to a deferred-length tus PATCH whose Content-Length does not fit, before its bytes', async () => {
      who = await uploader(F - 1);
      const created = await tusCreate(who, { 'Upload-Defer-Length': '1' });
      expect(created.status).toBe(201);
      const url = locationOf(created);
      const refused = await tusPatch(who, url, 0, file);
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toEqual(STORAGE_FULL);
      expect((await tusHead(who, url)).status).toBe(404);
    });

    it('after a tus PATCH refused with 2007, reads and drops what the client still sends, then closes', async () => {
      who = await uploader(F - 1);
      const created = await tusCreate(who, { 'Upload-Defer-Length': '1' });
      const url = new URL(locationOf(created));
      const answer = await sendOnAfterRefusal(
        `PATCH ${url.pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${who.cookie}\r\nTus-Resumable: 1.0.0\r\n` +
          `Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: ${F + 64 * MiB}\r\n\r\n`,
      );
      const { status, body } = parseRaw(answer);
      expect(status).toBe(413);
      expect(body).toEqual(STORAGE_FULL);
    });

    it('answers 2007 the moment a chunked deferred-length tus PATCH crosses the free space, and removes the upload', async () => {
      who = await uploader(F - 1);
      const created = await tusCreate(who, { 'Upload-Defer-Length': '1' });
      const url = locationOf(created);
      // One byte more than is free, and the request left open: the answer comes from crossing.
      const refused = await tusPatch(who, url, 0, file, true);
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toEqual(STORAGE_FULL);
      expect((await tusHead(who, url)).status).toBe(404);
    });
  });

  describe('two uploads at once that each fit alone but not together: exactly one succeeds', () => {
    it('multipart', async () => {
      const who = await uploader(Math.floor(1.5 * F));
      const answers = await Promise.all([upload(who), upload(who)]);
      expect(answers.map((res) => res.body.errno as number).sort()).toEqual([0, 2007]);
      expect(await rowsOf(who)).toBe(1);
      expect(await held(who)).toBe(0);
      await idle();
      expect((await me(who)).storage_used).toBeGreaterThanOrEqual(F);
    });

    it('tus: one creation is refused (413, 2007), the other becomes the video', async () => {
      const who = await uploader(Math.floor(1.5 * F));
      const created = await Promise.all([tusCreate(who, { 'Upload-Length': String(F) }), tusCreate(who, { 'Upload-Length': String(F) })]);
      expect(created.map((res) => res.status).sort()).toEqual([201, 413]);
      const refused = created.find((res) => res.status === 413)!;
      expect(await refused.json()).toEqual(STORAGE_FULL);
      const url = locationOf(created.find((res) => res.status === 201)!);
      const done = await tusPatch(who, url, 0, file);
      expect(done.status).toBe(200);
      expect(JSON.parse(done.body)).toMatchObject({ errno: 0, video: { size: F } });
      expect(await rowsOf(who)).toBe(1);
      expect(await held(who)).toBe(0);
      expect(filesUnder(join(t.config.dataDir, 'tus'))).toEqual([]);
    });

    it('multipart and tus together', async () => {
      const who = await uploader(Math.floor(1.5 * F));
      const [multipart, tus] = await Promise.all([upload(who), tusCreate(who, { 'Upload-Length': String(F) })]);
      const outcomes = [multipart.body.errno === 0, tus.status === 201];
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      if (tus.status === 201) expect((await tusPatch(who, locationOf(tus), 0, file)).status).toBe(200);
      else expect(await tus.json()).toEqual(STORAGE_FULL);
      expect(await rowsOf(who)).toBe(1);
      expect(await held(who)).toBe(0);
    });
  });

  it('an admin-set quota overrides USER_QUOTA_BYTES: more, unlimited (empty), and back to the default', async () => {
    const who = await uploader();
    expect((await upload(who)).body).toEqual(STORAGE_FULL);
    await setQuota(who.account, 10 * F);
    expect((await me(who)).storage_quota).toBe(10 * F);
    expect((await upload(who)).body.errno).toBe(0);
    await setQuota(who.account, '');
    expect((await me(who)).storage_quota).toBeNull();
    expect((await upload(who)).body.errno).toBe(0);
    await setQuota(who.account, 'default');
    expect((await me(who)).storage_quota).toBe(Math.floor(F / 2));
    expect((await upload(who)).body).toEqual(STORAGE_FULL);
    expect(await rowsOf(who)).toBe(2);
  });

  it('counts originals and renditions in storage_used, and refuses what would go over what is left', async () => {
    const who = await uploader(10 * F);
    expect((await upload(who)).body.errno).toBe(0);
    await idle();
    const rows = await t.app.get(DataSource).getRepository(Video).findBy({ uid: who.account.uid });
    const used = rows.reduce((sum, row) => sum + row.size + row.renditionBytes, 0);
    expect(rows[0].renditionBytes).toBeGreaterThan(0);
    expect((await me(who)).storage_used).toBe(used);
    // Room for exactly one more original: one more fits, the next does not.
    await setQuota(who.account, used + F);
    expect((await upload(who)).body.errno).toBe(0);
    expect((await upload(who)).body).toEqual(STORAGE_FULL);
    expect((await tusCreate(who, { 'Upload-Length': '1' })).status).toBe(413);
  });

  it('lets the hold of an upload whose process died lapse after HOLD_TTL_MS', async () => {
    const who = await uploader(Math.floor(1.5 * F));
    // What a process that died mid-upload leaves: a hold nobody renews or gives back.
    (await t.app.get(UploadSpace).claim(who.account.uid, 'upload:dead', F)).detach();
    expect((await upload(who)).body).toEqual(STORAGE_FULL);
    t.clock.advance(HOLD_TTL_MS + 1000);
    expect((await upload(who)).body.errno).toBe(0);
    expect(await held(who)).toBe(0);
  });
});

describe('without USER_QUOTA_BYTES', () => {
  const { t, smtp } = useApp();

  it('is unlimited: storage_quota is null and uploads hold nothing', async () => {
    const client = t.client();
    const email = randomEmail();
    const vcode = await requestCode(client, smtp, email);
    const registered = await post(client, '/api/account/register', {
      email,
      vcode,
      username: 'free',
      password_1: PASSWORD,
      password_2: PASSWORD,
    });
    expect((await login(client, { email, password: PASSWORD })).body.errno).toBe(0);
    expect((await client.get(ME)).body.user).toMatchObject({ storage_quota: null, storage_used: 0 });
    const answers = await Promise.all([0, 1, 2].map(() => client.post(UPLOAD).attach('video', file, 'clip.mp4')));
    expect(answers.map((res) => res.body.errno as number)).toEqual([0, 0, 0]);
    expect(await t.app.get(UploadSpace).held(registered.body.uid as number)).toBe(0);
    expect((await client.get(ME)).body.user.storage_used).toBeGreaterThanOrEqual(3 * F);
  });
});
