import type TestAgent from 'supertest/lib/agent.js';
import { login, PASSWORD, post, type Account } from './support/accounts.js';
import { useSmtp } from './support/e2e.js';
import { randomEmail, randomIp, startApp, testEnv, type TestApp } from './support/test-app.js';

/**
 * Accounts v2 across two instances sharing the database and Redis: an account's sessions are found
 * and ended wherever they were made. Runs only with REDIS_URL (vitest.config.ts), like instances.e2e-spec.ts.
 */
describe('accounts v2 on two instances', () => {
  const smtp = useSmtp();
  const adminEmail = randomEmail('admin');
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = testEnv({ SMTP_URL: smtp.url, ADMIN_EMAILS: adminEmail });
    a = await startApp(env);
    b = await startApp(env);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const NEW_PASSWORD = 'another456';
  const me = (client: TestAgent) => client.get('/api/account/me');
  const errno = async (request: PromiseLike<{ body: { errno: number } }>) => (await request).body.errno;

  /** Registers through A (code sent by A, registered on B). */
  async function register(email = randomEmail()): Promise<Account> {
    expect(await errno(post(a.client(), '/api/account/sendvcode', { email }))).toBe(0);
    const form = { email, vcode: smtp.lastCode(email), username: '两地', password_1: PASSWORD, password_2: PASSWORD };
    const res = await post(b.client(), '/api/account/register', form);
    expect(res.body.errno).toBe(0);
    return { email, password: PASSWORD, uid: res.body.uid as number, username: '两地' };
  }

  const cookies = new WeakMap<TestAgent, string>();

  /** A client of `instance` logged in as `account` there. */
  async function loggedIn(instance: TestApp, account: Pick<Account, 'email' | 'password'>, ip = randomIp()): Promise<TestAgent> {
    const client = instance.client(ip);
    const res = await login(client, account);
    expect(res.body.errno).toBe(0);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('ps.sid='))!;
    cookies.set(client, cookie.split(';')[0]);
    return client;
  }

  /** The same browser's session cookie sent to the other instance. */
  const sameBrowser = (client: TestAgent, instance: TestApp) => instance.client().set('Cookie', cookies.get(client)!);

  it('lists a session made on A from B, and revoke_others on B logs the A client out on A', async () => {
    const account = await register();
    const ipA = randomIp();
    const onA = await loggedIn(a, account, ipA);
    const onB = await loggedIn(b, account);
    const listed = (await onB.get('/api/account/sessions')).body.sessions as { current: boolean; ip: string }[];
    expect(listed).toHaveLength(2);
    expect(listed.find((s) => !s.current)?.ip).toBe(ipA);
    expect((await post(onB, '/api/account/sessions/revoke_others')).body).toEqual({ errno: 0, msg: 'ok', ended: 1 });
    expect(await errno(me(onA))).toBe(1011);
    expect(await errno(me(sameBrowser(onA, b)))).toBe(1011);
    expect((await me(onB)).body.user.uid).toBe(account.uid);
    expect(await errno(me(sameBrowser(onB, a)))).toBe(0);
  });

  it('ends a session of A by its id on B', async () => {
    const account = await register();
    const onA = await loggedIn(a, account);
    const onB = await loggedIn(b, account);
    const id = ((await onA.get('/api/account/sessions')).body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!.id;
    expect(await errno(onB.delete(`/api/account/sessions/${id}`))).toBe(0);
    expect(await errno(me(onA))).toBe(1011);
    expect(await errno(me(onB))).toBe(0);
  });

  it('a password change on A ends the session used on B and keeps its own', async () => {
    const account = await register();
    const onA = await loggedIn(a, account);
    const onB = await loggedIn(b, account);
    const changed = await post(onA, '/api/account/password', { password: PASSWORD, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD });
    expect(changed.body).toEqual({ errno: 0, msg: '密码已修改' });
    expect(await errno(me(onB))).toBe(1011);
    expect(await errno(me(sameBrowser(onA, b)))).toBe(0);
    expect(await errno(login(b.client(), { email: account.email, password: NEW_PASSWORD }))).toBe(0);
  });

  it('a password reset through B ends the sessions on A and lifts the lockout counted on A', async () => {
    const account = await register();
    const onA = await loggedIn(a, account);
    const ip = randomIp();
    for (let i = 0; i < 5; i++)
      expect(await errno(post(a.client(ip), '/api/account/login', { user: account.email, password: `bad${i}abcd` }))).toBe(1002);
    expect(await errno(login(b.client(ip), account))).toBe(1005);
    // The register code went out a moment ago: the reset code waits for the cooldown on the clock of both.
    a.clock.advance(60_000);
    b.clock.advance(60_000);
    expect(await errno(post(b.client(), '/api/account/sendvcode', { email: account.email, purpose: 'reset' }))).toBe(0);
    const vcode = smtp.lastCode(account.email);
    const reset = { email: account.email, vcode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD };
    expect((await post(a.client(), '/api/account/resetpassword', reset)).body).toEqual({ errno: 0, msg: '密码已重置' });
    expect(await errno(me(onA))).toBe(1011);
    expect(await errno(login(b.client(ip), { email: account.email, password: NEW_PASSWORD }))).toBe(0);
  });

  it('an admin disabling an account on B ends its session on A at once', async () => {
    const admin = await loggedIn(b, await register(adminEmail));
    const account = await register();
    const onA = await loggedIn(a, account);
    expect((await post(admin, `/api/admin/users/${account.uid}`, { disabled: 'true' })).body.user.disabled).toBe(true);
    expect(await errno(me(onA))).toBe(1011);
    expect(await errno(login(a.client(), account))).toBe(1012);
  });

  it('deleting the account on A logs it out on B at once', async () => {
    const account = await register();
    const onA = await loggedIn(a, account);
    const onB = await loggedIn(b, account);
    expect((await post(onA, '/api/account/delete', { password: PASSWORD })).body).toEqual({ errno: 0, msg: '账号已删除' });
    expect(await errno(me(onB))).toBe(1011);
    expect(await errno(login(b.client(), account))).toBe(1001);
    expect(await errno(b.client().get(`/api/users/${account.uid}`))).toBe(1001);
  });
});
