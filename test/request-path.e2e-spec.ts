import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { User } from '../src/account/user.entity.js';
import { RedisService } from '../src/infra/redis.service.js';
import { RedisSessionStore } from '../src/session/redis-session.store.js';
import { SessionRecord } from '../src/session/session.entity.js';
import { TypeormSessionStore } from '../src/session/typeorm-session.store.js';
import { SESSION_COOKIE, SESSION_TOUCH_MS } from '../src/session/session.module.js';
import { login, register } from './support/accounts.js';
import { useApp } from './support/e2e.js';
import { mp4 } from './support/fixtures.js';

const { t, smtp } = useApp();

type Stored = { seenAt?: number; passport?: { user?: unknown } };
const sidOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
const sessionRecords = () => t.app.get<Repository<SessionRecord>>(getRepositoryToken(SessionRecord));

/** The session's stored data, from whichever store the app runs on. */
async function storedSession(cookie: string): Promise<Stored | null> {
  const sid = sidOf(cookie);
  const redis = t.app.get(RedisService).client;
  if (redis) {
    const raw = await redis.get(`ps:sess:${sid}`);
    return raw ? (JSON.parse(raw) as Stored) : null;
  }
  const record = await sessionRecords().findOneBy({ sid });
  return record ? (JSON.parse(record.data) as Stored) : null;
}

/** Puts `user` where the session keeps its login, as an older build (or a broken write) left it. */
async function storeLogin(cookie: string, user: unknown): Promise<void> {
  const sid = sidOf(cookie);
  const data = JSON.stringify({ ...(await storedSession(cookie)), passport: { user } });
  const redis = t.app.get(RedisService).client;
  if (redis) {
    const key = `ps:sess:${sid}`;
    await redis.set(key, data, { expiration: { type: 'EX', value: await redis.ttl(key) } });
  } else {
    await sessionRecords().update({ sid }, { data });
  }
}

const sessionCookie = (headers: Record<string, unknown>) =>
  ((headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`));

describe('sessions on the request path', () => {
  it("makes no session for a visitor's GET, and sets no cookie", async () => {
    const res = await t.client().get('/api/videos?uid=1000000000');
    expect(res.body.errno).toBeDefined();
    expect(sessionCookie(res.headers)).toBeUndefined();
  });

  it('writes a logged-in session back at most once a minute, and then slides its expiry', async () => {
    const client = t.client();
    const loggedIn = await login(client, await register(t.client(), smtp));
    const cookie = sessionCookie(loggedIn.headers)!.split(';')[0];
    const atLogin = await storedSession(cookie);
    expect(atLogin?.seenAt).toEqual(expect.any(Number));

    for (let i = 0; i < 3; i++) {
      const me = await client.get('/api/account/me');
      expect(me.body.errno).toBe(0);
      expect(sessionCookie(me.headers)).toBeUndefined();
    }
    expect(await storedSession(cookie)).toEqual(atLogin);

    t.clock.advance(SESSION_TOUCH_MS + 1000);
    const later = await client.get('/api/account/me');
    expect(later.body.errno).toBe(0);
    expect(sessionCookie(later.headers)).toMatch(/Expires=/);
    expect((await storedSession(cookie))!.seenAt).toBeGreaterThan(atLogin!.seenAt!);
  });

  it('writes a login’s session to the store once, and deletes only a session the client brought', async () => {
    const account = await register(t.client(), smtp);
    const writes = [vi.spyOn(TypeormSessionStore.prototype, 'set'), vi.spyOn(RedisSessionStore.prototype, 'set')];
    const deletes = [vi.spyOn(TypeormSessionStore.prototype, 'destroy'), vi.spyOn(RedisSessionStore.prototype, 'destroy')];
    const calls = (spies: typeof writes | typeof deletes) => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    const client = t.client();
    try {
      const loggedIn = await login(client, account);
      expect(loggedIn.body.errno).toBe(0);
      expect(calls(writes)).toBe(1);
      expect(calls(deletes)).toBe(0);
      expect(await storedSession(sessionCookie(loggedIn.headers)!.split(';')[0])).toMatchObject({
        passport: { user: { uid: account.uid } },
      });
      // A login that brings a session: the old one goes, the new one is written once.
      const again = await login(client, account);
      expect(again.body.errno).toBe(0);
      expect([calls(writes), calls(deletes)]).toEqual([2, 1]);
    } finally {
      [...writes, ...deletes].forEach((spy) => spy.mockRestore());
    }
  });

  it('answers 9999 and no session cookie when the login’s session cannot be stored', async () => {
    const account = await register(t.client(), smtp);
    const refuse = (_sid: string, _session: unknown, callback?: (error?: unknown) => void): Promise<void> => {
      callback?.(new Error('the store is down'));
      return Promise.resolve();
    };
    const writes = [vi.spyOn(TypeormSessionStore.prototype, 'set'), vi.spyOn(RedisSessionStore.prototype, 'set')];
    writes.forEach((spy) => spy.mockImplementation(refuse));
    try {
      const refused = await login(t.client(), account);
      expect(refused.body).toEqual({ errno: 9999, msg: expect.any(String) });
      expect(sessionCookie(refused.headers)).toBeUndefined();
      expect(writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(1);
    } finally {
      writes.forEach((spy) => spy.mockRestore());
    }
    expect((await login(t.client(), account)).body.errno).toBe(0);
  });

  it('logs in a session from before SessionUser (the bare account id) by its account, and no other login', async () => {
    const client = t.client();
    const account = await register(t.client(), smtp);
    const cookie = sessionCookie((await login(client, account)).headers)!.split(';')[0];
    const { id } = await t.app.get<Repository<User>>(getRepositoryToken(User)).findOneByOrFail({ uid: account.uid });

    await storeLogin(cookie, id);
    const me = await client.get('/api/account/me');
    expect(me.body).toMatchObject({ errno: 0, user: { uid: account.uid } });

    // An id that names no account, or anything else stored there: a visitor, and the login leaves the session.
    for (const user of [id + 1_000_000, { uid: account.uid }, 'admin']) {
      await storeLogin(cookie, user);
      expect((await client.get('/api/account/me')).body.errno).toBe(1011);
      expect((await storedSession(cookie))?.passport).toBeUndefined();
    }
  });

  it('still logs out on a visitor-style GET without the cookie (nothing to end)', async () => {
    const res = await t.client().get('/api/account/logout');
    expect(res.body).toEqual({ errno: 0, msg: expect.any(String) });
  });
});

describe('answers that caches and proxies can keep apart', () => {
  it('says that JSON depends on Accept-Language, for a success and a refusal alike', async () => {
    const ok = await t.client().get('/api/health').set('Accept-Language', 'en');
    expect(ok.headers.vary).toMatch(/Accept-Language/i);
    const refused = await t.client().get('/api/account/me').set('Accept-Language', 'en');
    expect(refused.body).toEqual({ errno: 1011, msg: expect.stringMatching(/log in/i) });
    expect(refused.headers.vary).toMatch(/Accept-Language/i);
  });

  it('answers tus refusals in the language asked for', async () => {
    const client = t.client();
    await login(client, await register(t.client(), smtp));
    const en = await client.post('/api/videos/tus').set('Tus-Resumable', '1.0.0').set('Upload-Length', '-5').set('Accept-Language', 'en');
    const zh = await client.post('/api/videos/tus').set('Tus-Resumable', '1.0.0').set('Upload-Length', '-5');
    expect(en.status).toBe(zh.status);
    expect(JSON.parse(en.text).errno).toBe(JSON.parse(zh.text).errno);
    expect(JSON.parse(en.text).msg).not.toBe(JSON.parse(zh.text).msg);
    expect(en.headers.vary).toMatch(/Accept-Language/i);
  });

  it('says that JSON depends on Accept-Encoding too, when the request asked for no encoding', async () => {
    const plain = await t.client().get('/api/docs-json').set('Accept-Encoding', '');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.openapi).toMatch(/^3\./);
    const json = await t.client().get('/api/health').set('Accept-Encoding', '');
    expect(json.headers.vary).toMatch(/Accept-Encoding/i);
    expect(json.headers.vary).toMatch(/Accept-Language/i);
  });

  it('compresses large JSON when asked, and never a ranged answer of stored bytes', async () => {
    const docs = await t.client().get('/api/docs-json').set('Accept-Encoding', 'gzip');
    expect(docs.headers['content-encoding']).toBe('gzip');
    expect(docs.headers.vary).toMatch(/Accept-Encoding/i);
    expect(docs.body.openapi).toMatch(/^3\./);

    const client = t.client();
    await login(client, await register(t.client(), smtp));
    const { video } = (await client.post('/api/videos/video_upload').attach('video', mp4(), 'clip.mp4')).body;
    const ranged = await t.client().get(video.stream_url).set('Accept-Encoding', 'gzip').set('Range', 'bytes=0-99');
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-encoding']).toBeUndefined();
    expect(ranged.headers['content-length']).toBe('100');
  });
});
