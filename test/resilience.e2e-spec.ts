import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { login, post, register } from './support/accounts.js';
import { useSmtp } from './support/e2e.js';
import { randomEmail, startApp, testEnv } from './support/test-app.js';

const SEND = '/api/account/sendvcode';
const VALIDATE = '/api/account/validatevacode';

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never says a word (an SMTP server that hangs). */
async function silentServer(): Promise<Server> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('mail server faults answer 1006 and store nothing', () => {
  it('answers 1006 when the mail server cannot be reached, and lets the user retry at once', async () => {
    const t = await startApp(testEnv({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` }));
    try {
      const email = randomEmail();
      expect((await post(t.client(), SEND, { email })).body).toEqual({ errno: 1006, msg: '验证码发送失败，请检查邮箱地址' });
      expect((await post(t.client(), VALIDATE, { email, vcode: '123456' })).body.errno).toBe(1009);
      expect((await post(t.client(), SEND, { email })).body.errno).toBe(1006);
    } finally {
      await t.close();
    }
  });

  it('answers 1006 when the mail server does not answer within SMTP_TIMEOUT_MS', async () => {
    const silent = await silentServer();
    const { port } = silent.address() as { port: number };
    const t = await startApp(testEnv({ SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_TIMEOUT_MS: '500' }));
    try {
      const email = randomEmail();
      expect((await post(t.client(), SEND, { email })).body.errno).toBe(1006);
      expect((await post(t.client(), VALIDATE, { email, vcode: '123456' })).body.errno).toBe(1009);
    } finally {
      await t.close();
      silent.close();
    }
  });
});

describe('without SMTP_URL', () => {
  it('writes each mail as an .eml file under DATA_DIR/outbox, with a code that validates', async () => {
    const t = await startApp(testEnv({ SMTP_URL: undefined }));
    try {
      const email = randomEmail();
      expect((await post(t.client(), SEND, { email })).body.errno).toBe(0);
      const outbox = join(t.config.dataDir, 'outbox');
      const files = readdirSync(outbox).filter((name) => name.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const eml = readFileSync(join(outbox, files[0]), 'utf8');
      expect(eml).toContain(`To: ${email}`);
      const vcode = eml.match(/^Verification code: (\d{6})$/m)?.[1];
      expect(vcode).toMatch(/^\d{6}$/);
      expect((await post(t.client(), VALIDATE, { email, vcode: vcode! })).body.errno).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('Redis gone', () => {
  it('answers 9999 at once instead of hanging, and health says redis is down', async () => {
    const t = await startApp(testEnv({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, SMTP_URL: undefined }));
    try {
      const started = Date.now();
      const res = await post(t.client(), SEND, { email: randomEmail() });
      expect(res.body).toEqual({ errno: 9999, msg: '服务器内部错误' });
      // Bounded by CACHE_TIMEOUT_MS (1 s); a hang would run into the test timeout instead.
      expect(Date.now() - started).toBeLessThan(10_000);
      const health = await t.client().get('/api/health');
      expect(health.body).toMatchObject({ errno: 9999, db: 'up', redis: 'down', storage: 'up' });
    } finally {
      await t.close();
    }
  });
});

describe('sessions and codes across restarts and instances', () => {
  const smtp = useSmtp();

  it('keeps a session valid across an app restart', async () => {
    const env = testEnv({ SMTP_URL: smtp.url });
    const first = await startApp(env);
    const account = await register(first.client(), smtp);
    const client = first.client();
    const loggedIn = await login(client, account);
    expect(loggedIn.body.errno).toBe(0);
    const cookie = String(loggedIn.headers['set-cookie'] ?? '').split(';')[0];
    expect((await client.get('/api/account/me')).body.errno).toBe(0);
    await first.close();

    const second = await startApp(env);
    try {
      const me = await second.client().get('/api/account/me').set('Cookie', cookie);
      expect(me.body).toMatchObject({ errno: 0, user: { uid: account.uid, email: account.email } });
    } finally {
      await second.close();
    }
  });

  it('lets two instances on one database share sessions', async () => {
    const env = testEnv({ SMTP_URL: smtp.url });
    const a = await startApp(env);
    const b = await startApp(env);
    try {
      const account = await register(a.client(), smtp);
      const res = await login(a.client(), account);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      expect((await b.client().get('/api/account/me').set('Cookie', cookie)).body).toMatchObject({ errno: 0, user: { uid: account.uid } });
      expect((await b.client().get('/api/account/logout').set('Cookie', cookie)).body.errno).toBe(0);
      expect((await a.client().get('/api/account/me').set('Cookie', cookie)).body.errno).toBe(1011);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
