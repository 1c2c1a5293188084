import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import sharp from 'sharp';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { LOGIN_RULES } from '../src/account/login-limiter.js';
import { VCODE_RULES } from '../src/account/vcode.store.js';
import { StoragePurge, StoragePurger } from '../src/infra/storage/storage-purge.js';
import { StorageService } from '../src/infra/storage/storage.service.js';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { login, PASSWORD, post, type Account } from './support/accounts.js';
import { useApp, type LiveApp } from './support/e2e.js';
import { mp4 } from './support/fixtures.js';
import type { SmtpCapture } from './support/smtp-capture.js';
import { randomEmail, randomIp } from './support/test-app.js';

/** Accounts v2 (issue #12): docs/api.md "Accounts (v2, issue #12)", each row and order. */

const SEND = '/api/account/sendvcode';
const VALIDATE = '/api/account/validatevacode';
const REGISTER = '/api/account/register';
const LOGIN = '/api/account/login';
const RESET = '/api/account/resetpassword';
const PASSWORD_CHANGE = '/api/account/password';
const EMAIL_CHANGE = '/api/account/email';
const PROFILE = '/api/account/profile';
const AVATAR = '/api/account/avatar';
const SESSIONS = '/api/account/sessions';
const DELETE = '/api/account/delete';
const ADMIN_USERS = '/api/admin/users';
const NEW_PASSWORD = 'another456';

const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');
const me = (client: TestAgent) => client.get('/api/account/me');
const errno = async (request: PromiseLike<{ body: { errno: number } }>) => (await request).body.errno;

/** The session cookie (`ps.sid=…`) a login set. */
function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const cookies = res.headers['set-cookie'] as string[];
  const cookie = cookies.find((line) => line.startsWith('ps.sid='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

/** A fresh client (its own address) logged in as `account`. */
async function loggedIn(t: LiveApp, account: Pick<Account, 'email' | 'password'>, ip = randomIp()): Promise<TestAgent> {
  const client = t.client(ip);
  const res = await login(client, account);
  if (res.body.errno !== 0) throw new Error(`login answered ${JSON.stringify(res.body)}`);
  return client;
}

/** sendvcode for a purpose, then the code mailed. */
async function codeFor(client: TestAgent, smtp: SmtpCapture, email: string, purpose: string): Promise<string> {
  const sent = await post(client, SEND, { email, purpose });
  if (sent.body.errno !== 0) throw new Error(`sendvcode ${purpose} answered ${JSON.stringify(sent.body)}`);
  return smtp.lastCode(email);
}

/** Registers `email` through the public API. */
async function registerAs(t: LiveApp, smtp: SmtpCapture, email = randomEmail(), username = '小明'): Promise<Account> {
  const client = t.client();
  const vcode = await codeFor(client, smtp, email, 'register');
  const res = await post(client, REGISTER, { email, vcode, username, password_1: PASSWORD, password_2: PASSWORD });
  if (res.body.errno !== 0) throw new Error(`register answered ${JSON.stringify(res.body)}`);
  return { email: email.toLowerCase(), password: PASSWORD, uid: res.body.uid as number, username };
}

/** Every stored file, as keys relative to the storage root. */
function storedKeys(t: LiveApp): string[] {
  const root = t.config.storageDir;
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => relative(root, path).split(sep).join('/'));
}

/** Uploads the 2-second MP4 and waits until processing is over; resolves with the video id. */
async function uploadVideo(t: LiveApp, client: TestAgent): Promise<string> {
  const res = await client.post('/api/videos/video_upload').attach('video', mp4(), 'clip.mp4');
  expect(res.body.errno).toBe(0);
  await t.app.get(VideoProcessor).idle();
  return res.body.video.id as string;
}

/** Runs a request that must answer 0; tells whether an ISO time fell on the fake clock while it ran. */
async function during(t: LiveApp, request: () => PromiseLike<{ body: { errno: number } }>): Promise<{ includes(iso: string): boolean }> {
  const { clock } = t;
  const from = clock.now();
  expect((await request()).body.errno).toBe(0);
  const to = clock.now();
  return { includes: (iso) => Date.parse(iso) >= from && Date.parse(iso) <= to };
}

const imageDir = mkdtempSync(join(tmpdir(), 'ps-avatar-'));

/** A 640x480 PNG of ffmpeg's test pattern. */
function testPng(): Buffer {
  const file = join(imageDir, 'testsrc.png');
  if (!existsSync(file)) execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=640x480', '-frames:v', '1', file]);
  return readFileSync(file);
}

/** A 300x200 JPEG that carries a camera name and a GPS position in its EXIF. */
function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 200, channels: 3, background: '#0080ff' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'SpyCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 29/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 40/1' },
    })
    .toBuffer();
}

const uploadAvatar = (client: TestAgent, bytes: Buffer, filename = 'me.png', contentType = 'image/png') =>
  client.post(AVATAR).attach('avatar', bytes, { filename, contentType });

describe('accounts v2 on one instance', () => {
  const { t, smtp } = useApp();
  const register = (email?: string, username?: string) => registerAs(t, smtp, email, username);

  describe('sendvcode with a purpose', () => {
    it('sends a register code by default and for purpose=register', async () => {
      const [first, second] = [randomEmail(), randomEmail()];
      expect((await post(t.client(), SEND, { email: first })).body).toEqual({ errno: 0, msg: '验证码已发送，请查阅' });
      expect((await post(t.client(), SEND, { email: second, purpose: 'register' })).body.errno).toBe(0);
      for (const email of [first, second]) {
        expect(smtp.mailsTo(email)[0].text).toContain('注册');
        expect(await errno(post(t.client(), VALIDATE, { email, vcode: smtp.lastCode(email) }))).toBe(0);
      }
    });

    it('answers 9000 for an unknown purpose, on sendvcode and validatevacode', async () => {
      const email = randomEmail();
      expect((await post(t.client(), SEND, { email, purpose: 'admin' })).body).toEqual({ errno: 9000, msg: '请求参数错误' });
      expect(await errno(post(t.client(), VALIDATE, { email, vcode: '123456', purpose: 'login' }))).toBe(9000);
      expect(smtp.mailsTo(email)).toHaveLength(0);
    });

    it('answers 1004 to a reset for a bad email, before anything else', async () => {
      for (const email of ['', 'not-an-email', 'a@b']) {
        expect((await post(t.client(), SEND, { email, purpose: 'reset' })).body).toEqual({ errno: 1004, msg: '邮箱格式错误' });
      }
    });

    it('answers 1001 to a reset for an email without an account, and mails nothing', async () => {
      const email = randomEmail();
      expect((await post(t.client(), SEND, { email, purpose: 'reset' })).body).toEqual({ errno: 1001, msg: '请先注册' });
      expect(smtp.mailsTo(email)).toHaveLength(0);
    });

    it('answers 1005 to a reset within 60 s of the register code: the cooldown is per email, across purposes', async () => {
      const account = await register();
      const other = await register();
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      await codeFor(t.client(), smtp, other.email, 'reset');
      // `account`'s register mail went out a minute ago, `fresh`'s just now, `other`'s reset code just now.
      const fresh = await register();
      expect((await post(t.client(), SEND, { email: fresh.email, purpose: 'reset' })).body).toEqual({
        errno: 1005,
        msg: '操作过于频繁，请稍后再试',
      });
      expect((await post(t.client(), SEND, { email: other.email, purpose: 'reset' })).body.errno).toBe(1005);
      expect((await post(t.client(), SEND, { email: account.email, purpose: 'reset' })).body.errno).toBe(0);
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      expect((await post(t.client(), SEND, { email: fresh.email, purpose: 'reset' })).body.errno).toBe(0);
    });

    it('answers 1005 to the 11th code from one address in an hour, counting register, reset and email codes together', async () => {
      const [resetting, changing, last] = [await register(), await register(), await register()];
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const ip = randomIp();
      const client = await loggedIn(t, changing, ip);
      for (let i = 0; i < 6; i++) expect(await errno(post(t.client(ip), SEND, { email: randomEmail() }))).toBe(0);
      expect(await errno(post(t.client(ip), SEND, { email: resetting.email, purpose: 'reset' }))).toBe(0);
      for (let i = 0; i < 3; i++) expect(await errno(post(client, SEND, { email: randomEmail(), purpose: 'email' }))).toBe(0);
      expect(await errno(post(t.client(ip), SEND, { email: last.email, purpose: 'reset' }))).toBe(1005);
      expect(await errno(post(client, SEND, { email: randomEmail(), purpose: 'email' }))).toBe(1005);
      expect(smtp.mailsTo(last.email)).toHaveLength(1);
      expect(await errno(post(t.client(), SEND, { email: last.email, purpose: 'reset' }))).toBe(0);
    });

    it('answers 1011 to a change-of-address code without a login', async () => {
      const email = randomEmail();
      expect((await post(t.client(), SEND, { email, purpose: 'email' })).body).toEqual({ errno: 1011, msg: '请先登录' });
      expect(smtp.mailsTo(email)).toHaveLength(0);
    });

    it('answers 1004 and then 1010 to a change-of-address code for a bad or taken address', async () => {
      const [account, taken] = [await register(), await register()];
      const client = await loggedIn(t, account);
      expect(await errno(post(client, SEND, { email: 'nope', purpose: 'email' }))).toBe(1004);
      expect((await post(client, SEND, { email: taken.email.toUpperCase(), purpose: 'email' })).body).toEqual({
        errno: 1010,
        msg: '账号已存在，请勿重复注册',
      });
      expect(await errno(post(client, SEND, { email: account.email, purpose: 'email' }))).toBe(1010);
    });

    it('mails each purpose its own subject and text, the code to the new address for an email change', async () => {
      const account = await register();
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const newAddress = randomEmail();
      await codeFor(t.client(), smtp, account.email, 'reset');
      await codeFor(await loggedIn(t, account), smtp, newAddress, 'email');
      const [registerMail, resetMail] = smtp.mailsTo(account.email);
      const [emailMail] = smtp.mailsTo(newAddress);
      expect(registerMail.subject).toMatch(/^个人空间验证码：\d{6}$/);
      expect(resetMail.subject).toMatch(/^个人空间重置密码验证码：\d{6}$/);
      expect(emailMail.subject).toMatch(/^个人空间更换邮箱验证码：\d{6}$/);
      expect(registerMail.text).toContain('您正在注册个人空间');
      expect(resetMail.text).toContain('您正在重置个人空间账号的密码');
      expect(emailMail.text).toContain('您正在把个人空间账号的邮箱更换为本地址');
      expect(
        new Set([registerMail.text, resetMail.text, emailMail.text].map((text) => text.split('\n')[2].replace(/\d{6}/, ''))),
      ).toHaveLength(3);
    });

    it('mails in English when the request prefers English', async () => {
      const account = await register();
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const email = randomEmail();
      expect(await errno(post(t.client(), SEND, { email }).set('Accept-Language', 'en-GB,en;q=0.9'))).toBe(0);
      expect(await errno(post(t.client(), SEND, { email: account.email, purpose: 'reset' }).set('Accept-Language', 'en'))).toBe(0);
      const [registerMail] = smtp.mailsTo(email);
      const resetMail = smtp.mailsTo(account.email).at(-1)!;
      expect(registerMail.subject).toMatch(/^Personal Space verification code: \d{6}$/);
      expect(registerMail.text).toContain('You are registering with Personal Space');
      expect(registerMail.text).not.toMatch(/[\u4e00-\u9fff]/);
      expect(resetMail.subject).toMatch(/^Personal Space password reset code: \d{6}$/);
      expect(resetMail.text).toContain('reset the password');
      expect(resetMail.text).toContain('valid for 5 minutes');
    });

    it('keeps a code to its purpose: a reset code does not verify a registration, a register code does not reset', async () => {
      const account = await register();
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const resetCode = await codeFor(t.client(), smtp, account.email, 'reset');
      expect((await post(t.client(), VALIDATE, { email: account.email, vcode: resetCode })).body).toEqual({
        errno: 1009,
        msg: '该账户没有获取验证码',
      });
      // Right for its own purpose, and still usable after that check.
      expect(await errno(post(t.client(), VALIDATE, { email: account.email, vcode: resetCode, purpose: 'reset' }))).toBe(0);

      // A register code for an address that then becomes an account's (by an email change).
      const address = randomEmail();
      await codeFor(t.client(), smtp, address, 'register');
      const registerCode = smtp.lastCode(address);
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const client = await loggedIn(t, account);
      const emailCode = await codeFor(client, smtp, address, 'email');
      expect(await errno(post(client, EMAIL_CHANGE, { email: address, vcode: registerCode }))).toBe(registerCode === emailCode ? 0 : 1007);
      expect(await errno(post(client, EMAIL_CHANGE, { email: address, vcode: emailCode }))).toBe(registerCode === emailCode ? 1010 : 0);
      const reset = { email: address, vcode: registerCode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD };
      expect((await post(t.client(), RESET, reset)).body.errno).toBe(1009);
      expect((await login(t.client(), { email: address, password: PASSWORD })).body.errno).toBe(0);
    });
  });

  describe('resetpassword', () => {
    it('checks in order 1004, 1001, 1009, 1007, 1002, 1003, then answers 密码已重置', async () => {
      const account = await register();
      const form: Record<string, string> = {};
      const answer = async () => (await post(t.client(), RESET, form)).body;
      expect(await answer()).toEqual({ errno: 1004, msg: '邮箱格式错误' });
      form.email = randomEmail();
      expect(await answer()).toEqual({ errno: 1001, msg: '请先注册' });
      form.email = account.email.toUpperCase();
      expect(await answer()).toEqual({ errno: 1009, msg: '该账户没有获取验证码' });
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const vcode = await codeFor(t.client(), smtp, account.email, 'reset');
      form.vcode = wrongFor(vcode);
      expect(await answer()).toEqual({ errno: 1007, msg: '验证码错误' });
      form.vcode = vcode;
      // Checking a reset code does not use it up.
      expect(await errno(post(t.client(), VALIDATE, { email: account.email, vcode, purpose: 'reset' }))).toBe(0);
      form.password_1 = 'short1';
      expect(await answer()).toEqual({ errno: 1002, msg: '密码格式错误' });
      form.password_1 = NEW_PASSWORD;
      form.password_2 = `${NEW_PASSWORD}x`;
      expect(await answer()).toEqual({ errno: 1003, msg: '两次输入的密码不同' });
      form.password_2 = NEW_PASSWORD;
      expect(await answer()).toEqual({ errno: 0, msg: '密码已重置' });
      expect((await login(t.client(), { email: account.email, password: NEW_PASSWORD })).body.errno).toBe(0);
      expect((await login(t.client(), account)).body).toEqual({ errno: 1002, msg: '密码错误' });
    });

    it('answers 1008 for a reset code older than 5 minutes', async () => {
      const account = await register();
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const vcode = await codeFor(t.client(), smtp, account.email, 'reset');
      t.clock.advance(VCODE_RULES.lifetimeMs);
      const res = await post(t.client(), RESET, { email: account.email, vcode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD });
      expect(res.body).toEqual({ errno: 1008, msg: '验证码失效，请重新获取' });
      expect((await login(t.client(), account)).body.errno).toBe(0);
    });

    it('answers 1005 from an address that sent 30 wrong codes this hour, even with the right code', async () => {
      const account = await register();
      const ip = randomIp();
      for (let i = 0; i < VCODE_RULES.wrongTriesPerSourcePerHour / VCODE_RULES.maxWrongTriesPerSource; i++) {
        const email = randomEmail();
        const vcode = await codeFor(t.client(), smtp, email, 'register');
        for (let n = 0; n < VCODE_RULES.maxWrongTriesPerSource; n++) {
          expect(await errno(post(t.client(ip), VALIDATE, { email, vcode: wrongFor(vcode) }))).toBe(1007);
        }
      }
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const vcode = await codeFor(t.client(), smtp, account.email, 'reset');
      const form = { email: account.email, vcode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD };
      expect((await post(t.client(ip), RESET, form)).body).toEqual({ errno: 1005, msg: '操作过于频繁，请稍后再试' });
      expect(await errno(post(t.client(), RESET, form))).toBe(0);
    });

    it('uses the code up: the same code a second time answers 1009', async () => {
      const account = await register();
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const vcode = await codeFor(t.client(), smtp, account.email, 'reset');
      const form = { email: account.email, vcode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD };
      expect(await errno(post(t.client(), RESET, form))).toBe(0);
      expect(await errno(post(t.client(), RESET, { ...form, password_1: 'third789', password_2: 'third789' }))).toBe(1009);
      expect((await login(t.client(), { email: account.email, password: 'third789' })).body.errno).toBe(1002);
    });

    it('ends every session of the account and does not log the caller in', async () => {
      const account = await register();
      const [phone, laptop] = [await loggedIn(t, account), await loggedIn(t, account)];
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const resetter = t.client();
      const vcode = await codeFor(resetter, smtp, account.email, 'reset');
      expect(await errno(post(resetter, RESET, { email: account.email, vcode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD }))).toBe(
        0,
      );
      expect((await me(phone)).body).toEqual({ errno: 1011, msg: '请先登录' });
      expect(await errno(me(laptop))).toBe(1011);
      expect(await errno(me(resetter))).toBe(1011);
    });

    it('lifts the lockout: the address that was locked out logs in with the new password', async () => {
      const account = await register();
      const ip = randomIp();
      for (let i = 0; i < LOGIN_RULES.maxFailures; i++) {
        expect(await errno(post(t.client(ip), LOGIN, { user: account.email, password: `wrong${i}abc` }))).toBe(1002);
      }
      expect(await errno(login(t.client(ip), account))).toBe(1005);
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const vcode = await codeFor(t.client(), smtp, account.email, 'reset');
      expect(
        await errno(post(t.client(), RESET, { email: account.email, vcode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD })),
      ).toBe(0);
      expect(await errno(login(t.client(ip), { email: account.email, password: NEW_PASSWORD }))).toBe(0);
    });
  });

  describe('POST /api/account/password', () => {
    const change = (client: TestAgent, password: string, password_1 = NEW_PASSWORD, password_2 = password_1) =>
      post(client, PASSWORD_CHANGE, { password, password_1, password_2 });

    it('answers 1011 without a login', async () => {
      expect((await change(t.client(), PASSWORD)).body).toEqual({ errno: 1011, msg: '请先登录' });
    });

    it('answers 1002 密码错误 to a wrong current password, 1002 密码格式错误 to a bad new one, 1003 to a mismatch', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      expect((await change(client, 'wrong1234')).body).toEqual({ errno: 1002, msg: '密码错误' });
      expect((await change(client, PASSWORD, 'short1')).body).toEqual({ errno: 1002, msg: '密码格式错误' });
      expect((await change(client, PASSWORD, 'onlyletters')).body.errno).toBe(1002);
      expect((await change(client, PASSWORD, NEW_PASSWORD, `${NEW_PASSWORD}x`)).body).toEqual({ errno: 1003, msg: '两次输入的密码不同' });
      expect((await login(t.client(), account)).body.errno).toBe(0);
    });

    it('counts wrong current passwords toward the login lockout and then answers 1005, even to the right one', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      for (let i = 0; i < LOGIN_RULES.maxFailures; i++) expect(await errno(change(client, `wrong${i}abc`))).toBe(1002);
      expect((await change(client, PASSWORD)).body).toEqual({ errno: 1005, msg: '操作过于频繁，请稍后再试' });
      expect(await errno(change(client, 'wrong9abc'))).toBe(1005);
      // The same browser's login is locked out too; the password did not change.
      expect(await errno(login(client, account))).toBe(1005);
      expect(await errno(login(t.client(), account))).toBe(0);
    });

    it('answers 密码已修改: this session stays, the other sessions end, only the new password logs in', async () => {
      const account = await register();
      const [client, other] = [await loggedIn(t, account), await loggedIn(t, account)];
      expect((await change(client, PASSWORD)).body).toEqual({ errno: 0, msg: '密码已修改' });
      expect((await me(client)).body.user.uid).toBe(account.uid);
      expect(await errno(me(other))).toBe(1011);
      expect(await errno(login(t.client(), account))).toBe(1002);
      expect(await errno(login(t.client(), { email: account.email, password: NEW_PASSWORD }))).toBe(0);
    });
  });

  describe('POST /api/account/email', () => {
    it('answers 1011 without a login', async () => {
      expect((await post(t.client(), EMAIL_CHANGE, { email: randomEmail(), vcode: '123456' })).body).toEqual({
        errno: 1011,
        msg: '请先登录',
      });
    });

    it('checks in order 1004, 1010, 1009, 1007', async () => {
      const [account, taken] = [await register(), await register()];
      const client = await loggedIn(t, account);
      const email = randomEmail();
      expect((await post(client, EMAIL_CHANGE, { email: 'nope', vcode: '123456' })).body).toEqual({ errno: 1004, msg: '邮箱格式错误' });
      expect((await post(client, EMAIL_CHANGE, { email: taken.email, vcode: '123456' })).body).toEqual({
        errno: 1010,
        msg: '账号已存在，请勿重复注册',
      });
      expect(await errno(post(client, EMAIL_CHANGE, { email, vcode: '123456' }))).toBe(1009);
      const vcode = await codeFor(client, smtp, email, 'email');
      expect(await errno(post(client, EMAIL_CHANGE, { email, vcode: wrongFor(vcode) }))).toBe(1007);
      expect((await me(client)).body.user.email).toBe(account.email);
    });

    it('answers 1008 for a code older than 5 minutes', async () => {
      const client = await loggedIn(t, await register());
      const email = randomEmail();
      const vcode = await codeFor(client, smtp, email, 'email');
      t.clock.advance(VCODE_RULES.lifetimeMs);
      expect((await post(client, EMAIL_CHANGE, { email, vcode })).body).toEqual({ errno: 1008, msg: '验证码失效，请重新获取' });
    });

    it('stores the new address in lower case: it logs in, the old one does not', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      const email = `New-${randomUUID().slice(0, 8)}@Example.COM`;
      const vcode = await codeFor(client, smtp, email, 'email');
      const res = await post(client, EMAIL_CHANGE, { email, vcode });
      expect(res.body).toMatchObject({ errno: 0, msg: 'ok', user: { uid: account.uid, email: email.toLowerCase() } });
      expect((await me(client)).body.user.email).toBe(email.toLowerCase());
      expect(await errno(login(t.client(), { email, password: PASSWORD }))).toBe(0);
      expect((await login(t.client(), account)).body).toEqual({ errno: 1001, msg: '请先注册' });
      // The code is used up, and the old address is free to register.
      expect(await errno(post(client, EMAIL_CHANGE, { email, vcode }))).toBe(1010);
      t.clock.advance(VCODE_RULES.resendCooldownMs);
      expect((await register(account.email)).uid).not.toBe(account.uid);
    });
  });

  describe('profile', () => {
    it('answers 1011 without a login', async () => {
      expect(await errno(post(t.client(), PROFILE, { bio: 'hi' }))).toBe(1011);
    });

    it('answers 1001 to a bad username and changes nothing', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      for (const username of ['', '   ', 'x'.repeat(21), 'a\u202eb']) {
        expect((await post(client, PROFILE, { username, bio: 'changed' })).body).toEqual({ errno: 1001, msg: '用户名不合法' });
      }
      expect((await me(client)).body.user).toMatchObject({ username: account.username, bio: '' });
    });

    it('answers 9000 to a bio over 200 characters or with control characters; 200 and line breaks are fine', async () => {
      const client = await loggedIn(t, await register());
      expect((await post(client, PROFILE, { bio: '字'.repeat(201) })).body).toEqual({ errno: 9000, msg: '请求参数错误' });
      expect(await errno(post(client, PROFILE, { bio: 'bell\u0007' }))).toBe(9000);
      expect(await errno(post(client, PROFILE, { bio: 'null\u0000' }))).toBe(9000);
      expect(await errno(post(client, PROFILE, { bio: 'bidi\u202eevil' }))).toBe(9000);
      expect((await me(client)).body.user.bio).toBe('');
      expect((await post(client, PROFILE, { bio: '字'.repeat(200) })).body.user.bio).toBe('字'.repeat(200));
      expect((await post(client, PROFILE, { bio: 'line one\nline two' })).body.user.bio).toBe('line one\nline two');
    });

    it('leaves an absent field unchanged; an empty bio clears it', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      const both = await post(client, PROFILE, { username: '小红', bio: '你好' });
      expect(both.body).toMatchObject({ errno: 0, msg: 'ok', user: { uid: account.uid, username: '小红', bio: '你好' } });
      expect((await post(client, PROFILE, { bio: '再见' })).body.user).toMatchObject({ username: '小红', bio: '再见' });
      expect((await post(client, PROFILE, { username: '小蓝' })).body.user).toMatchObject({ username: '小蓝', bio: '再见' });
      expect((await post(client, PROFILE, {})).body.user).toMatchObject({ username: '小蓝', bio: '再见' });
      expect((await post(client, PROFILE, { bio: '' })).body.user).toMatchObject({ username: '小蓝', bio: '' });
    });

    it('shows bio and avatar_url on the public profile, never the email', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      await post(client, PROFILE, { bio: '公开的简介' });
      const own = (await me(client)).body.user;
      expect(own).toMatchObject({ email: account.email, bio: '公开的简介', avatar_url: null, storage_quota: null, role: 'user' });
      const res = await t.client().get(`/api/users/${account.uid}`);
      expect(res.body.errno).toBe(0);
      expect(res.body.user).toMatchObject({ uid: account.uid, username: account.username, bio: '公开的简介', avatar_url: null });
      expect(res.body.user).not.toHaveProperty('email');
      expect(JSON.stringify(res.body)).not.toContain(account.email);
      expect(res.body.user).not.toHaveProperty('storage_used');
      expect(res.body.user).not.toHaveProperty('role');
    });
  });

  describe('avatar', () => {
    const avatarFiles = (uid: number) => storedKeys(t).filter((key) => key.startsWith(`avatars/${uid}/`));
    const versionOf = (url: string) => new URL(url, 'http://x').searchParams.get('v')!;

    it('answers 1011 without a login', async () => {
      expect(await errno(uploadAvatar(t.client(), testPng()))).toBe(1011);
      expect(await errno(t.client().delete(AVATAR))).toBe(1011);
    });

    it('serves an uploaded PNG as a 256 px and a 64 px square WebP with a strong ETag, immutable under avatar_url', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      const png = testPng();
      const res = await uploadAvatar(client, png);
      expect(res.body).toMatchObject({ errno: 0, msg: 'ok', user: { uid: account.uid } });
      const url = res.body.user.avatar_url as string;
      expect(url).toMatch(new RegExp(`^/api/users/${account.uid}/avatar\\?v=[\\w-]+$`));
      expect((await t.client().get(`/api/users/${account.uid}`)).body.user.avatar_url).toBe(url);

      const big = await t.client().get(url).buffer(true);
      expect(big.status).toBe(200);
      expect(big.headers['content-type']).toBe('image/webp');
      expect(big.headers.etag).toMatch(/^"[^"]+"$/);
      expect(big.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(await sharp(big.body as Buffer).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 });
      expect(Buffer.compare(big.body as Buffer, png)).not.toBe(0);

      const small = await t.client().get(`${url}&size=64`).buffer(true);
      expect(small.headers['content-type']).toBe('image/webp');
      expect(await sharp(small.body as Buffer).metadata()).toMatchObject({ format: 'webp', width: 64, height: 64 });
      expect(small.headers.etag).not.toBe(big.headers.etag);

      // Without the version (or with another), the URL may show another avatar later: asked about each time.
      const bare = await t.client().get(`/api/users/${account.uid}/avatar`);
      expect(bare.status).toBe(200);
      expect(bare.headers['cache-control']).not.toContain('immutable');
      const again = await t.client().get(url).set('If-None-Match', String(big.headers.etag));
      expect(again.status).toBe(304);
      expect((await t.client().get(`/api/users/${account.uid}/avatar?size=128`)).status).toBe(404);
    });

    it('re-encodes a JPEG: the served bytes carry no EXIF (camera, GPS)', async () => {
      const client = await loggedIn(t, await register());
      const jpeg = await jpegWithGps();
      expect((await sharp(jpeg).metadata()).exif?.toString('latin1')).toContain('SpyCam');
      const res = await uploadAvatar(client, jpeg, 'holiday.jpg', 'image/jpeg');
      expect(res.body.errno).toBe(0);
      const served = (await t.client().get(res.body.user.avatar_url).buffer(true)).body as Buffer;
      const meta = await sharp(served).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
      expect(meta.exif).toBeUndefined();
      expect(served.toString('latin1')).not.toContain('SpyCam');
    });

    it('accepts a WebP, whatever name and type it is sent with', async () => {
      const client = await loggedIn(t, await register());
      const webp = await sharp({ create: { width: 90, height: 120, channels: 3, background: '#ffaa00' } })
        .webp()
        .toBuffer();
      expect(await errno(uploadAvatar(client, webp, 'photo.gif', 'application/octet-stream'))).toBe(0);
    });

    it('answers 3001 to a text file named .png, a GIF and a truncated PNG, keeping the avatar it had', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      const url = (await uploadAvatar(client, testPng())).body.user.avatar_url as string;
      const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#fff' } })
        .gif()
        .toBuffer();
      const png = testPng();
      const refused: [Buffer, string, string][] = [
        [Buffer.from('this is not an image\n'), 'notes.png', 'image/png'],
        [gif, 'anim.gif', 'image/gif'],
        [gif, 'anim.png', 'image/png'],
        [png.subarray(0, Math.floor(png.length / 2)), 'cut.png', 'image/png'],
      ];
      for (const [bytes, name, type] of refused) {
        expect((await uploadAvatar(client, bytes, name, type)).body).toEqual({ errno: 3001, msg: '不支持的图片格式' });
      }
      expect((await me(client)).body.user.avatar_url).toBe(url);
      expect(avatarFiles(account.uid)).toHaveLength(2);
    });

    it('answers 3002 to an image over 5 MiB, and 9000 without the file', async () => {
      const client = await loggedIn(t, await register());
      const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const huge = Buffer.concat([header, randomBytes(5 * 1024 * 1024 + 1 - header.length)]);
      expect((await uploadAvatar(client, huge)).body).toEqual({ errno: 3002, msg: '图片文件过大' });
      expect(await errno(client.post(AVATAR).field('avatar', 'text'))).toBe(9000);
      expect(await errno(client.post(AVATAR).attach('photo', testPng(), 'me.png'))).toBe(9000);
      expect(await errno(post(client, AVATAR, { avatar: 'x' }))).toBe(9000);
      expect((await me(client)).body.user.avatar_url).toBeNull();
    });

    it('changes avatar_url with a new avatar and removes the old files', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      const first = (await uploadAvatar(client, testPng())).body.user.avatar_url as string;
      const oldFiles = avatarFiles(account.uid);
      expect(oldFiles.sort()).toEqual([
        `avatars/${account.uid}/${versionOf(first)}-256.webp`,
        `avatars/${account.uid}/${versionOf(first)}-64.webp`,
      ]);
      const second = (await uploadAvatar(client, await jpegWithGps(), 'b.jpg', 'image/jpeg')).body.user.avatar_url as string;
      expect(second).not.toBe(first);
      await t.app.get(StoragePurger).drain();
      const files = avatarFiles(account.uid);
      expect(files).toHaveLength(2);
      expect(files.every((key) => key.includes(versionOf(second)))).toBe(true);
      // The old URL shows the current avatar, no longer cached for good.
      const old = await t.client().get(first);
      expect(old.status).toBe(200);
      expect(old.headers['cache-control']).not.toContain('immutable');
    });

    it('DELETE /api/account/avatar sets avatar_url null, the avatar answers 404 errno 1001, its files go', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      const url = (await uploadAvatar(client, testPng())).body.user.avatar_url as string;
      const res = await client.delete(AVATAR);
      expect(res.body).toMatchObject({ errno: 0, msg: 'ok', user: { uid: account.uid, avatar_url: null } });
      for (const path of [url, `/api/users/${account.uid}/avatar`, `/api/users/${account.uid}/avatar?size=64`]) {
        const gone = await t.client().get(path);
        expect(gone.status).toBe(404);
        expect(gone.body).toEqual({ errno: 1001, msg: '请先注册' });
      }
      expect((await t.client().get(`/api/users/${account.uid}`)).body.user.avatar_url).toBeNull();
      await t.app.get(StoragePurger).drain();
      expect(avatarFiles(account.uid)).toEqual([]);
    });

    it('answers 404 errno 1001 for the avatar of an unknown uid', async () => {
      for (const uid of ['1000000001', '12', 'abc']) {
        const res = await t.client().get(`/api/users/${uid}/avatar`);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errno: 1001, msg: '请先注册' });
      }
    });
  });

  describe('sessions', () => {
    it('answers 1011 without a login', async () => {
      expect(await errno(t.client().get(SESSIONS))).toBe(1011);
      expect(await errno(post(t.client(), `${SESSIONS}/revoke_others`))).toBe(1011);
      expect(await errno(t.client().delete(`${SESSIONS}/abc`))).toBe(1011);
    });

    it('lists each login with created_at, last_seen_at, ip and user_agent, the current one marked, most recently seen first', async () => {
      const account = await register();
      const [ipA, ipB] = [randomIp(), randomIp()];
      const a = t.client(ipA).set('User-Agent', 'Phone/1.0');
      const loginA = await during(t, () => login(a, account));
      t.clock.advance(61_000);
      const b = t.client(ipB).set('User-Agent', `Laptop/2.0 ${'x'.repeat(300)}`);
      expect(await errno(login(b, account))).toBe(0);

      const res = await a.get(SESSIONS);
      expect(res.body).toMatchObject({ errno: 0, msg: 'ok' });
      const [first, second] = res.body.sessions;
      expect(res.body.sessions).toHaveLength(2);
      expect(first).toMatchObject({ current: false, ip: ipB });
      expect(first.user_agent).toBe(`Laptop/2.0 ${'x'.repeat(300)}`.slice(0, 255));
      expect(second).toEqual({
        id: expect.stringMatching(/^[\w-]{22}$/),
        current: true,
        created_at: expect.any(String),
        last_seen_at: expect.any(String),
        ip: ipA,
        user_agent: 'Phone/1.0',
      });
      expect(second.last_seen_at).toBe(second.created_at);
      expect(loginA.includes(second.created_at)).toBe(true);
      expect(Date.parse(first.created_at) - Date.parse(second.created_at)).toBeGreaterThanOrEqual(61_000);
      // The id is not the cookie's session key.
      expect(sessionCookie(await login(t.client(), account))).not.toContain(second.id);

      // A's next request a minute on moves its last_seen_at and address; created_at stays.
      t.clock.advance(61_000);
      const moved = randomIp();
      const seen = await during(t, () => me(a).set('X-Forwarded-For', moved));
      const later = (await a.get(SESSIONS)).body.sessions;
      expect(later).toHaveLength(3);
      const mine = later.find((s: { current: boolean }) => s.current);
      expect(later[0]).toBe(mine);
      expect(mine).toMatchObject({
        id: second.id,
        created_at: second.created_at,
        ip: moved,
      });
      expect(seen.includes(mine.last_seen_at)).toBe(true);
    });

    it('ends one session by id: its cookie answers 1011, the others stay', async () => {
      const account = await register();
      const [a, b, c] = [await loggedIn(t, account), await loggedIn(t, account), await loggedIn(t, account)];
      const idOf = async (client: TestAgent) =>
        ((await client.get(SESSIONS)).body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!.id;
      const [idB, idC] = [await idOf(b), await idOf(c)];
      expect((await a.delete(`${SESSIONS}/${idB}`)).body).toEqual({ errno: 0, msg: 'ok' });
      expect(await errno(me(b))).toBe(1011);
      expect(await errno(post(a, `${SESSIONS}/${idC}/delete`))).toBe(0);
      expect(await errno(me(c))).toBe(1011);
      expect(await errno(me(a))).toBe(0);
      expect((await a.get(SESSIONS)).body.sessions).toHaveLength(1);
      // Already ended: no longer one of the account's sessions.
      expect(await errno(a.delete(`${SESSIONS}/${idB}`))).toBe(9000);
    });

    it("answers 9000 to another account's session id, or one that names nothing, and ends nothing", async () => {
      const [mine, theirs] = [await register(), await register()];
      const client = await loggedIn(t, mine);
      const victim = await loggedIn(t, theirs);
      const victimId = (await victim.get(SESSIONS)).body.sessions[0].id as string;
      expect((await client.delete(`${SESSIONS}/${victimId}`)).body).toEqual({ errno: 9000, msg: '请求参数错误' });
      expect(await errno(post(client, `${SESSIONS}/${victimId}/delete`))).toBe(9000);
      expect(await errno(client.delete(`${SESSIONS}/not-a-session`))).toBe(9000);
      expect((await me(victim)).body.user.uid).toBe(theirs.uid);
      expect(await errno(me(client))).toBe(0);
    });

    it('revoke_others ends every other session and counts them', async () => {
      const account = await register();
      const others = [await loggedIn(t, account), await loggedIn(t, account), await loggedIn(t, account)];
      const client = await loggedIn(t, account);
      expect((await post(client, `${SESSIONS}/revoke_others`)).body).toEqual({ errno: 0, msg: 'ok', ended: 3 });
      for (const other of others) expect(await errno(me(other))).toBe(1011);
      expect((await me(client)).body.user.uid).toBe(account.uid);
      const left = (await client.get(SESSIONS)).body.sessions;
      expect(left).toHaveLength(1);
      expect(left[0].current).toBe(true);
      expect((await post(client, `${SESSIONS}/revoke_others`)).body.ended).toBe(0);
    });

    it('ending its own current session is a logout', async () => {
      const account = await register();
      const client = t.client();
      const cookie = sessionCookie(await login(client, account));
      const other = await loggedIn(t, account);
      const id = ((await client.get(SESSIONS)).body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!.id;
      const res = await client.delete(`${SESSIONS}/${id}`);
      expect(res.body).toEqual({ errno: 0, msg: 'ok' });
      expect(String(res.headers['set-cookie'])).toMatch(/ps\.sid=;/);
      expect(await errno(me(client))).toBe(1011);
      expect(await errno(me(t.client()).set('Cookie', cookie))).toBe(1011);
      expect(await errno(me(other))).toBe(0);
    });
  });

  describe('deleting an account', () => {
    it('removes the bytes of a video that was still being processed', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      const res = await client.post('/api/videos/video_upload').attach('video', mp4(), 'clip.mp4');
      expect(res.body.errno).toBe(0);
      const id = res.body.video.id as string;
      expect(await errno(post(client, DELETE, { password: PASSWORD }))).toBe(0);
      await t.app.get(VideoProcessor).idle();
      await t.app.get(StoragePurger).drain();
      expect(storedKeys(t).filter((key) => key.includes(id))).toEqual([]);
      expect((await t.client().get(`/api/videos/${id}`)).body.errno).toBe(2004);
    });

    it('answers 1011 without a login and 1002 to a wrong password, keeping the account', async () => {
      expect(await errno(post(t.client(), DELETE, { password: PASSWORD }))).toBe(1011);
      const account = await register();
      const client = await loggedIn(t, account);
      expect((await post(client, DELETE, { password: 'wrong1234' })).body).toEqual({ errno: 1002, msg: '密码错误' });
      expect(await errno(post(client, DELETE, {}))).toBe(1002);
      expect(await errno(me(client))).toBe(0);
      expect(await errno(login(t.client(), account))).toBe(0);
    });

    it('counts wrong passwords toward the lockout: then 1005, even to the right one, and the account stays', async () => {
      const account = await register();
      const client = await loggedIn(t, account);
      for (let i = 0; i < LOGIN_RULES.maxFailures; i++) expect(await errno(post(client, DELETE, { password: `wrong${i}abc` }))).toBe(1002);
      expect((await post(client, DELETE, { password: PASSWORD })).body).toEqual({ errno: 1005, msg: '操作过于频繁，请稍后再试' });
      expect(await errno(me(client))).toBe(0);
      expect(await errno(login(t.client(), account))).toBe(0);
    });

    it('answers 账号已删除 and at once: login 1001, sessions 1011, profile 1001, videos 2004/404; the bytes go; the email registers anew', async () => {
      const account = await register();
      const ip = randomIp();
      const client = await loggedIn(t, account, ip);
      const cookie = sessionCookie(await login(t.client(ip), account));
      const other = await loggedIn(t, account);
      const id = await uploadVideo(t, client);
      expect((await client.get(`/api/videos/${id}`)).body.video.status).toBe('ready');
      const avatarUrl = (await uploadAvatar(client, testPng())).body.user.avatar_url as string;
      const ownKeys = () => storedKeys(t).filter((key) => key.includes(id) || key.startsWith(`avatars/${account.uid}/`));
      const before = ownKeys();
      expect(before.filter((key) => key.startsWith('avatars/'))).toHaveLength(2);
      expect(before.filter((key) => key.includes(id)).length).toBeGreaterThanOrEqual(3);

      const res = await post(client, DELETE, { password: PASSWORD });
      expect(res.body).toEqual({ errno: 0, msg: '账号已删除' });
      expect(String(res.headers['set-cookie'])).toMatch(/ps\.sid=;/);

      expect((await login(t.client(), account)).body).toEqual({ errno: 1001, msg: '请先注册' });
      expect(await errno(post(t.client(), LOGIN, { user: String(account.uid), password: PASSWORD }))).toBe(1001);
      expect(await errno(me(t.client()).set('Cookie', cookie))).toBe(1011);
      expect(await errno(me(other))).toBe(1011);
      expect((await t.client().get(`/api/users/${account.uid}`)).body).toEqual({ errno: 1001, msg: '请先注册' });
      expect((await t.client().get(avatarUrl)).status).toBe(404);
      expect((await t.client().get(`/api/videos/${id}`)).body.errno).toBe(2004);
      expect((await t.client().get(`/api/videos/${id}/stream`)).status).toBe(404);
      expect((await t.client().get(`/api/videos/${id}/cover`)).status).toBe(404);
      const list = await t.client().get(`/api/videos?uid=${account.uid}`);
      expect(list.body).toMatchObject({ errno: 0, total: 0, videos: [] });

      await t.app.get(StoragePurger).drain();
      expect(ownKeys()).toEqual([]);

      t.clock.advance(VCODE_RULES.resendCooldownMs);
      const again = await register(account.email);
      expect(again.uid).not.toBe(account.uid);
      expect((await me(await loggedIn(t, again))).body.user).toMatchObject({ uid: again.uid, video_count: 0, avatar_url: null, bio: '' });
    });
  });
});

describe('an account deletion whose purge fails', () => {
  const { t, smtp } = useApp();

  it('resumes after a restart: the bytes stay and the purge rows wait until the storage works again', async () => {
    const account = await registerAs(t, smtp);
    const client = await loggedIn(t, account);
    const id = await uploadVideo(t, client);
    expect(await errno(uploadAvatar(client, testPng()))).toBe(0);
    const ownKeys = () => storedKeys(t).filter((key) => key.includes(id) || key.startsWith(`avatars/${account.uid}/`));
    const before = ownKeys();
    expect(before.length).toBeGreaterThanOrEqual(5);
    const rows = async () =>
      (await t.app.get(DataSource).getRepository(StoragePurge).find()).filter(
        (row) => row.key.includes(id) || row.key.startsWith(`avatars/${account.uid}/`),
      );

    const storage = t.app.get(StorageService);
    const failure = new Error('storage unavailable');
    const spies = [vi.spyOn(storage, 'delete').mockRejectedValue(failure), vi.spyOn(storage, 'deletePrefix').mockRejectedValue(failure)];
    expect(await errno(post(client, DELETE, { password: PASSWORD }))).toBe(0);
    await expect(t.app.get(StoragePurger).drain()).rejects.toThrow('storage unavailable');
    expect(ownKeys().sort()).toEqual(before.sort());
    expect((await rows()).length).toBeGreaterThanOrEqual(3);
    expect(await errno(t.client().get(`/api/videos/${id}`))).toBe(2004);
    for (const spy of spies) spy.mockRestore();

    await t.restart();
    await t.app.get(StoragePurger).drain();
    expect(ownKeys()).toEqual([]);
    expect(await rows()).toEqual([]);
  });
});

describe('REGISTRATION=closed', () => {
  const { t, smtp } = useApp({ REGISTRATION: 'closed' });

  it('answers 1013 on sendvcode, validatevacode and register, right after 1004', async () => {
    const email = randomEmail();
    expect((await post(t.client(), SEND, { email })).body).toEqual({ errno: 1013, msg: '暂不开放注册' });
    expect(await errno(post(t.client(), SEND, { email, purpose: 'register' }))).toBe(1013);
    expect(await errno(post(t.client(), VALIDATE, { email, vcode: '123456' }))).toBe(1013);
    const form = { email, vcode: '123456', username: '小明', password_1: PASSWORD, password_2: PASSWORD };
    expect((await post(t.client(), REGISTER, form)).body).toEqual({ errno: 1013, msg: '暂不开放注册' });
    expect(await errno(post(t.client(), SEND, { email: 'nope' }))).toBe(1004);
    expect(await errno(post(t.client(), REGISTER, { ...form, email: 'nope' }))).toBe(1004);
    expect(smtp.mailsTo(email)).toHaveLength(0);
  });

  it('lets existing accounts log in and reset their password', async () => {
    await t.restart({ REGISTRATION: 'open' });
    const account = await registerAs(t, smtp);
    await t.restart();
    expect(await errno(post(t.client(), SEND, { email: randomEmail() }))).toBe(1013);
    expect(await errno(login(t.client(), account))).toBe(0);
    t.clock.advance(VCODE_RULES.resendCooldownMs);
    const vcode = await codeFor(t.client(), smtp, account.email, 'reset');
    expect(await errno(post(t.client(), RESET, { email: account.email, vcode, password_1: NEW_PASSWORD, password_2: NEW_PASSWORD }))).toBe(
      0,
    );
    expect(await errno(login(t.client(), { email: account.email, password: NEW_PASSWORD }))).toBe(0);
  });
});

describe('REGISTRATION=allowlist', () => {
  const friend = `friend-${randomUUID().slice(0, 8)}@other.example`;
  const { t, smtp } = useApp({ REGISTRATION: 'allowlist', REGISTRATION_ALLOW: `*@family.example,${friend}` });

  it('lets the listed domain and address register', async () => {
    const cousin = `cousin-${randomUUID().slice(0, 8)}@Family.example`;
    for (const email of [cousin, friend.toUpperCase()]) {
      expect(await errno(post(t.client(), SEND, { email }))).toBe(0);
      const vcode = smtp.lastCode(email);
      expect(await errno(post(t.client(), VALIDATE, { email, vcode }))).toBe(0);
      const form = { email, username: '家人', password_1: PASSWORD, password_2: PASSWORD };
      expect(await errno(post(t.client(), REGISTER, form))).toBe(0);
      expect(await errno(login(t.client(), { email, password: PASSWORD }))).toBe(0);
    }
  });

  it('answers 1013 to every other address, a subdomain or a look-alike', async () => {
    const tag = randomUUID().slice(0, 8);
    for (const email of [`x-${tag}@example.com`, `x-${tag}@sub.family.example`, `x-${tag}@family.example.evil`, `x${friend}`]) {
      expect(await errno(post(t.client(), SEND, { email }))).toBe(1013);
      expect(await errno(post(t.client(), VALIDATE, { email, vcode: '123456' }))).toBe(1013);
      const form = { email, vcode: '123456', username: '外人', password_1: PASSWORD, password_2: PASSWORD };
      expect(await errno(post(t.client(), REGISTER, form))).toBe(1013);
      expect(smtp.mailsTo(email)).toHaveLength(0);
    }
  });
});

describe('admin', () => {
  const adminEmail = randomEmail('admin');
  const formerAdminEmail = randomEmail('admin');
  const { t, smtp } = useApp({ ADMIN_EMAILS: `${adminEmail},${formerAdminEmail}` });
  let admin: TestAgent;
  let adminAccount: Account;

  beforeAll(async () => {
    adminAccount = await registerAs(t, smtp, adminEmail, '管理员');
    admin = await loggedIn(t, adminAccount);
  });

  const list = (client: TestAgent, query: Record<string, string> = {}) => client.get(ADMIN_USERS).query(query);
  const change = (uid: number | string, form: Record<string, string>, client = admin) => post(client, `${ADMIN_USERS}/${uid}`, form);

  it('answers 1011 without a login and 9403 to an account that is not an admin', async () => {
    expect((await t.client().get(ADMIN_USERS)).body).toEqual({ errno: 1011, msg: '请先登录' });
    expect(await errno(change(adminAccount.uid, { disabled: 'true' }, t.client()))).toBe(1011);
    const account = await registerAs(t, smtp);
    const client = await loggedIn(t, account);
    expect((await list(client)).body).toEqual({ errno: 9403, msg: '没有权限' });
    expect((await change(account.uid, { storage_quota: '1' }, client)).body).toEqual({ errno: 9403, msg: '没有权限' });
    expect((await change(adminAccount.uid, { disabled: 'true' }, client)).body.errno).toBe(9403);
    expect((await me(client)).body.user).toMatchObject({ role: 'user', storage_quota: null });
    expect(await errno(login(t.client(), adminAccount))).toBe(0);
  });

  it("gives the admin's me the role admin", async () => {
    expect((await me(admin)).body.user).toMatchObject({ uid: adminAccount.uid, email: adminEmail, role: 'admin' });
  });

  it('lists accounts newest first with their usage, the total, and finds them by part of the email or username in any case', async () => {
    const tag = randomUUID().slice(0, 8);
    const older = await registerAs(t, smtp, `older-${tag}@example.com`, `Zed${tag}`);
    const newer = await registerAs(t, smtp, `newer-${tag}@example.com`, '新人');
    const third = await registerAs(t, smtp, randomEmail(), `zed${tag}b`);
    await uploadVideo(t, await loggedIn(t, newer));

    const byTag = await list(admin, { q: tag.toUpperCase() });
    expect(byTag.body).toMatchObject({ errno: 0, msg: 'ok', total: 3 });
    expect(byTag.body.users.map((u: { uid: number }) => u.uid)).toEqual([third.uid, newer.uid, older.uid]);
    const shown = byTag.body.users[1];
    expect(shown).toEqual({
      uid: newer.uid,
      username: '新人',
      email: newer.email,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      video_count: 1,
      storage_used: expect.any(Number),
      storage_quota: null,
      disabled: false,
      role: 'user',
    });
    expect(shown.storage_used).toBeGreaterThan(mp4().length);
    expect(byTag.body.users[2]).toMatchObject({ video_count: 0, storage_used: 0 });

    const byName = await list(admin, { q: `ZED${tag}` });
    expect(byName.body.users.map((u: { uid: number }) => u.uid)).toEqual([third.uid, older.uid]);
    expect((await list(admin, { q: `NEWER-${tag}@` })).body).toMatchObject({ total: 1, users: [{ uid: newer.uid }] });
    expect((await list(admin, { q: `%${tag}` })).body.total).toBe(0);

    const page1 = (await list(admin, { q: tag, page_size: '2' })).body;
    const page2 = (await list(admin, { q: tag, page_size: '2', page: '2' })).body;
    expect(page1).toMatchObject({ total: 3 });
    expect(page1.users.map((u: { uid: number }) => u.uid)).toEqual([third.uid, newer.uid]);
    expect(page2.users.map((u: { uid: number }) => u.uid)).toEqual([older.uid]);

    const all = (await list(admin, { page_size: '100' })).body;
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect(all.users.find((u: { uid: number }) => u.uid === adminAccount.uid)).toMatchObject({ email: adminEmail, role: 'admin' });
  });

  it('answers 9000 to a bad page or page_size', async () => {
    for (const query of <Record<string, string>[]>[
      { page: '0' },
      { page: 'x' },
      { page_size: '0' },
      { page_size: '101' },
      { page_size: '-1' },
    ]) {
      expect((await list(admin, query)).body).toEqual({ errno: 9000, msg: '请求参数错误' });
    }
  });

  it('disabling ends the sessions at once and login answers 1012 (after the password: a wrong one is still 1002); enabling lets it in', async () => {
    const account = await registerAs(t, smtp);
    const [client, other] = [await loggedIn(t, account), await loggedIn(t, account)];
    const res = await change(account.uid, { disabled: 'true' });
    expect(res.body).toMatchObject({ errno: 0, msg: 'ok', user: { uid: account.uid, disabled: true } });
    expect(await errno(me(client))).toBe(1011);
    expect(await errno(me(other))).toBe(1011);
    expect((await login(t.client(), account)).body).toEqual({ errno: 1012, msg: '账号已停用' });
    expect((await post(t.client(), LOGIN, { user: account.email, password: 'wrong1234' })).body).toEqual({ errno: 1002, msg: '密码错误' });
    expect((await list(admin, { q: account.email })).body.users[0].disabled).toBe(true);

    expect((await change(account.uid, { disabled: 'false' })).body.user.disabled).toBe(false);
    expect(await errno(login(t.client(), account))).toBe(0);
  });

  it("sets a storage quota that the user's me shows; empty is unlimited (null)", async () => {
    const account = await registerAs(t, smtp);
    const client = await loggedIn(t, account);
    expect((await change(account.uid, { storage_quota: '1048576' })).body).toMatchObject({ errno: 0, user: { storage_quota: 1048576 } });
    expect((await me(client)).body.user.storage_quota).toBe(1048576);
    expect((await change(account.uid, { disabled: 'false' })).body.user.storage_quota).toBe(1048576);
    expect((await change(account.uid, { storage_quota: '' })).body.user.storage_quota).toBeNull();
    expect((await me(client)).body.user.storage_quota).toBeNull();
  });

  it('answers 1001 for an unknown uid, 9000 for bad values and for disabling an admin', async () => {
    const account = await registerAs(t, smtp);
    for (const uid of ['1000000001', 'abc'])
      expect((await change(uid, { disabled: 'true' })).body).toEqual({ errno: 1001, msg: '请先注册' });
    for (const form of <Record<string, string>[]>[
      { disabled: 'yes' },
      { disabled: '' },
      { storage_quota: '-1' },
      { storage_quota: '1.5' },
      { storage_quota: 'lots' },
    ]) {
      expect((await change(account.uid, form)).body).toEqual({ errno: 9000, msg: '请求参数错误' });
    }
    expect((await change(adminAccount.uid, { disabled: 'true' })).body).toEqual({ errno: 9000, msg: '请求参数错误' });
    expect((await me(admin)).body.user.role).toBe('admin');
    expect((await list(admin, { q: account.email })).body.users[0]).toMatchObject({ disabled: false, storage_quota: null });
  });

  it("lets an admin delete another user's video, which the other users may not", async () => {
    const [owner, stranger] = [await registerAs(t, smtp), await registerAs(t, smtp)];
    const id = await uploadVideo(t, await loggedIn(t, owner));
    expect((await (await loggedIn(t, stranger)).delete(`/api/videos/${id}`)).body).toEqual({ errno: 2005, msg: '无权操作该视频' });
    expect((await t.client().get(`/api/videos/${id}`)).body.errno).toBe(0);
    expect((await admin.delete(`/api/videos/${id}`)).body.errno).toBe(0);
    expect((await t.client().get(`/api/videos/${id}`)).body.errno).toBe(2004);
  });

  it('leaves a deleted account out of the list', async () => {
    const account = await registerAs(t, smtp);
    expect((await list(admin, { q: account.email })).body.total).toBe(1);
    expect(await errno(post(await loggedIn(t, account), DELETE, { password: PASSWORD }))).toBe(0);
    expect((await list(admin, { q: account.email })).body).toMatchObject({ total: 0, users: [] });
    expect(await errno(change(account.uid, { disabled: 'true' }))).toBe(1001);
  });

  it("reads the role from the current email at each call: an admin who changed address may no longer delete others' videos", async () => {
    const former = await registerAs(t, smtp, formerAdminEmail, '前管理员');
    const client = await loggedIn(t, former);
    expect((await me(client)).body.user.role).toBe('admin');
    const email = randomEmail();
    expect(await errno(post(client, EMAIL_CHANGE, { email, vcode: await codeFor(client, smtp, email, 'email') }))).toBe(0);
    expect((await me(client)).body.user.role).toBe('user');
    expect(await errno(list(client))).toBe(9403);
    const owner = await registerAs(t, smtp);
    const id = await uploadVideo(t, await loggedIn(t, owner));
    expect((await client.delete(`/api/videos/${id}`)).body).toEqual({ errno: 2005, msg: '无权操作该视频' });
    expect((await t.client().get(`/api/videos/${id}`)).body.errno).toBe(0);
  });
});

describe('USER_QUOTA_BYTES with an admin', () => {
  const adminEmail = randomEmail('admin');
  const { t, smtp } = useApp({ ADMIN_EMAILS: adminEmail, USER_QUOTA_BYTES: '1000000' });

  it('gives every account the default quota, an admin sets another, and empty makes it unlimited (null)', async () => {
    const admin = await loggedIn(t, await registerAs(t, smtp, adminEmail));
    const account = await registerAs(t, smtp);
    const client = await loggedIn(t, account);
    expect((await me(client)).body.user.storage_quota).toBe(1000000);
    expect((await post(admin, `${ADMIN_USERS}/${account.uid}`, { storage_quota: '5000000' })).body.user.storage_quota).toBe(5000000);
    expect((await me(client)).body.user.storage_quota).toBe(5000000);
    expect((await post(admin, `${ADMIN_USERS}/${account.uid}`, { storage_quota: '' })).body.user.storage_quota).toBeNull();
    expect((await me(client)).body.user.storage_quota).toBeNull();
  });
});

describe('ADMIN_EMAILS changed by a restart', () => {
  const adminEmail = randomEmail('admin');
  const { t, smtp } = useApp({ ADMIN_EMAILS: adminEmail });

  it("takes effect without a new login: a session of a removed admin gets 9403 and may not delete others' videos", async () => {
    const admin = await registerAs(t, smtp, adminEmail, '管理员');
    const owner = await registerAs(t, smtp);
    const ip = randomIp();
    const cookie = sessionCookie(await login(t.client(ip), admin));
    await t.restart({ ADMIN_EMAILS: randomEmail('admin') });
    const id = await uploadVideo(t, await loggedIn(t, owner));
    const client = t.client(ip).set('Cookie', cookie);
    expect((await me(client)).body.user).toMatchObject({ uid: admin.uid, role: 'user' });
    expect(await errno(client.get(ADMIN_USERS))).toBe(9403);
    expect((await client.delete(`/api/videos/${id}`)).body).toEqual({ errno: 2005, msg: '无权操作该视频' });
    expect((await t.client().get(`/api/videos/${id}`)).body.errno).toBe(0);
  });
});
