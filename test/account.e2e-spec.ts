import { AccountService } from '../src/account/account.service.js';
import { VCODE_RULES } from '../src/account/vcode.store.js';
import { LOGIN_RULES } from '../src/account/login-limiter.js';
import { login, PASSWORD, post, register, requestCode } from './support/accounts.js';
import { useApp } from './support/e2e.js';
import { randomEmail, randomIp } from './support/test-app.js';

const { t, smtp } = useApp();

const SEND = '/api/account/sendvcode';
const VALIDATE = '/api/account/validatevacode';
const REGISTER = '/api/account/register';
const LOGIN = '/api/account/login';

describe('sendvcode', () => {
  it('answers 0 and mails a 6-digit code in Chinese that states its 5-minute validity', async () => {
    const email = randomEmail();
    const res = await post(t.client(), SEND, { email });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ errno: 0, msg: '验证码已发送，请查阅' });
    const [mail] = smtp.mailsTo(email);
    expect(mail.subject).toContain('验证码');
    expect(mail.text).toContain('5 分钟内有效');
    expect(smtp.lastCode(email)).toMatch(/^\d{6}$/);
  });

  it('answers 1004 when the email is missing or not an address', async () => {
    for (const form of [
      {} as Record<string, string>,
      { email: '' },
      { email: 'not-an-email' },
      { email: 'a@b' },
      { email: `${'x'.repeat(250)}@example.com` },
    ]) {
      expect((await post(t.client(), SEND, form)).body).toEqual({ errno: 1004, msg: '邮箱格式错误' });
    }
  });

  it('answers 1010 for an email that already has an account, in any letter case', async () => {
    const account = await register(t.client(), smtp);
    const res = await post(t.client(), SEND, { email: account.email.toUpperCase() });
    expect(res.body).toEqual({ errno: 1010, msg: '账号已存在，请勿重复注册' });
  });

  it('answers 1005 to a second send for one email within 60 s, and sends again after', async () => {
    const email = randomEmail();
    await requestCode(t.client(), smtp, email);
    expect((await post(t.client(), SEND, { email })).body).toEqual({ errno: 1005, msg: '操作过于频繁，请稍后再试' });
    expect(smtp.mailsTo(email)).toHaveLength(1);
    t.clock.advance(VCODE_RULES.resendCooldownMs);
    expect((await post(t.client(), SEND, { email })).body.errno).toBe(0);
    expect(smtp.mailsTo(email)).toHaveLength(2);
  });

  it('answers 1005 to the 11th code within an hour from one IP, counting only codes sent', async () => {
    const client = t.client();
    smtp.refuse.add('refused-for-ip-count@example.com');
    expect((await post(client, SEND, { email: 'refused-for-ip-count@example.com' })).body.errno).toBe(1006);
    for (let i = 0; i < VCODE_RULES.sendsPerIpPerHour; i++) {
      expect((await post(client, SEND, { email: randomEmail() })).body.errno).toBe(0);
    }
    expect((await post(client, SEND, { email: randomEmail() })).body.errno).toBe(1005);
    expect((await post(t.client(), SEND, { email: randomEmail() })).body.errno).toBe(0);
  });

  it('counts concurrent sends from one IP one by one: of 14 at once, exactly 10 go out', async () => {
    const client = t.client();
    const emails = Array.from({ length: VCODE_RULES.sendsPerIpPerHour + 4 }, () => randomEmail());
    const answers = await Promise.all(emails.map((email) => post(client, SEND, { email })));
    const sent = answers.filter((res) => res.body.errno === 0).length;
    expect(sent).toBe(VCODE_RULES.sendsPerIpPerHour);
    expect(answers.filter((res) => res.body.errno === 1005)).toHaveLength(emails.length - sent);
    expect(emails.filter((email) => smtp.mailsTo(email).length > 0)).toHaveLength(VCODE_RULES.sendsPerIpPerHour);
  });

  it('answers 1006 when the mail server refuses the address, storing no code and no cooldown', async () => {
    const email = randomEmail('refused');
    smtp.refuse.add(email);
    expect((await post(t.client(), SEND, { email })).body).toEqual({ errno: 1006, msg: '验证码发送失败，请检查邮箱地址' });
    expect((await post(t.client(), VALIDATE, { email, vcode: '123456' })).body.errno).toBe(1009);
    smtp.refuse.delete(email);
    expect((await post(t.client(), SEND, { email })).body.errno).toBe(0);
  });

  it('serialises two sends for one email: one mail, one 1005', async () => {
    const email = randomEmail();
    const answers = await Promise.all([post(t.client(), SEND, { email }), post(t.client(), SEND, { email })]);
    expect(answers.map((res) => res.body.errno).sort()).toEqual([0, 1005]);
    expect(smtp.mailsTo(email)).toHaveLength(1);
  });
});

describe('validatevacode', () => {
  it('answers 0 for the right code, and 0 again when repeated', async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    expect((await post(t.client(), VALIDATE, { email, vcode })).body).toEqual({ errno: 0, msg: '验证码正确' });
    expect((await post(t.client(), VALIDATE, { email, vcode })).body.errno).toBe(0);
  });

  it('answers 1004 for a bad email before anything else', async () => {
    expect((await post(t.client(), VALIDATE, { email: 'nope', vcode: '123456' })).body.errno).toBe(1004);
  });

  it('answers 1009 for an email that has no code', async () => {
    const res = await post(t.client(), VALIDATE, { email: randomEmail(), vcode: '123456' });
    expect(res.body).toEqual({ errno: 1009, msg: '该账户没有获取验证码' });
  });

  it('answers 1007 for a wrong code', async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    const wrong = vcode === '000000' ? '000001' : '000000';
    expect((await post(t.client(), VALIDATE, { email, vcode: wrong })).body).toEqual({ errno: 1007, msg: '验证码错误' });
    expect((await post(t.client(), VALIDATE, { email, vcode: '' })).body.errno).toBe(1007);
  });

  it('answers 1008 once the code is older than 5 minutes', async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    t.clock.advance(VCODE_RULES.lifetimeMs);
    expect((await post(t.client(), VALIDATE, { email, vcode })).body).toEqual({ errno: 1008, msg: '验证码失效，请重新获取' });
  });

  // One address: wrong tries from others are theirs (test/lockout.e2e-spec.ts).
  it('answers 1007 to wrong tries 1 to 5 from one address and 1008 to it from then on, even for the right code', async () => {
    const ip = randomIp();
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    const wrong = vcode === '999999' ? '999998' : '999999';
    for (let i = 0; i < VCODE_RULES.maxWrongTriesPerSource; i++) {
      expect((await post(t.client(ip), VALIDATE, { email, vcode: wrong })).body.errno).toBe(1007);
    }
    expect((await post(t.client(ip), VALIDATE, { email, vcode })).body.errno).toBe(1008);
  });

  it('counts concurrent wrong tries one by one: five at once from one address burn the code for it', async () => {
    const ip = randomIp();
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    const wrong = vcode === '111111' ? '111112' : '111111';
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(t.client(ip), VALIDATE, { email, vcode: wrong })));
    expect(answers.map((res) => res.body.errno).sort()).toEqual([1007, 1007, 1007, 1007, 1007, 1008, 1008, 1008]);
    expect((await post(t.client(ip), VALIDATE, { email, vcode })).body.errno).toBe(1008);
  });

  it('accepts the new code after a resend and refuses the replaced one', async () => {
    const email = randomEmail();
    const first = await requestCode(t.client(), smtp, email);
    t.clock.advance(VCODE_RULES.resendCooldownMs);
    const second = await requestCode(t.client(), smtp, email);
    if (first !== second) expect((await post(t.client(), VALIDATE, { email, vcode: first })).body.errno).toBe(1007);
    expect((await post(t.client(), VALIDATE, { email, vcode: second })).body.errno).toBe(0);
  });
});

describe('register', () => {
  async function verifiedEmail(): Promise<string> {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    expect((await post(t.client(), VALIDATE, { email, vcode })).body.errno).toBe(0);
    return email;
  }

  const form = (email: string, extra: Record<string, string> = {}) => ({
    email,
    username: '小明',
    password_1: PASSWORD,
    password_2: PASSWORD,
    ...extra,
  });

  it('answers 0 with a 10-digit uid after validatevacode, and consumes the verification', async () => {
    const email = await verifiedEmail();
    const res = await post(t.client(), REGISTER, form(email));
    expect(res.body).toEqual({ errno: 0, msg: '注册成功', uid: expect.any(Number) });
    expect(String(res.body.uid)).toMatch(/^[1-9]\d{9}$/);
    expect((await post(t.client(), VALIDATE, { email, vcode: smtp.lastCode(email) })).body.errno).toBe(1009);
  });

  it('answers 0 with a right vcode given instead of validatevacode', async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    expect((await post(t.client(), REGISTER, form(email, { vcode }))).body.errno).toBe(0);
  });

  it('answers 1004 for a bad email', async () => {
    expect((await post(t.client(), REGISTER, form('bad@'))).body.errno).toBe(1004);
  });

  it('answers 1010 for an email that already has an account, in any letter case', async () => {
    const account = await register(t.client(), smtp);
    const res = await post(t.client(), REGISTER, form(account.email.toUpperCase()));
    expect(res.body).toEqual({ errno: 1010, msg: '账号已存在，请勿重复注册' });
  });

  it('answers 1009 for an email that was never verified and no vcode', async () => {
    expect((await post(t.client(), REGISTER, form(randomEmail()))).body).toEqual({ errno: 1009, msg: '该账户没有获取验证码' });
    const email = randomEmail();
    await requestCode(t.client(), smtp, email);
    expect((await post(t.client(), REGISTER, form(email))).body.errno).toBe(1009);
  });

  it('answers 1007 for a wrong vcode and 1008 for an expired one', async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    const wrong = vcode === '123456' ? '654321' : '123456';
    expect((await post(t.client(), REGISTER, form(email, { vcode: wrong }))).body.errno).toBe(1007);
    t.clock.advance(VCODE_RULES.lifetimeMs);
    expect((await post(t.client(), REGISTER, form(email, { vcode }))).body.errno).toBe(1008);
  });

  it('keeps the verified mark for 30 minutes, then answers 1009', async () => {
    const email = await verifiedEmail();
    t.clock.advance(VCODE_RULES.verifiedForMs);
    expect((await post(t.client(), REGISTER, form(email))).body.errno).toBe(1009);
  });

  it('answers 1001 for an empty or over-long username, counting characters', async () => {
    const email = await verifiedEmail();
    for (const username of ['', '   ', 'a'.repeat(21), '字'.repeat(21), 'tab\there']) {
      expect((await post(t.client(), REGISTER, form(email, { username }))).body).toEqual({ errno: 1001, msg: '用户名不合法' });
    }
    const res = await post(t.client(), REGISTER, form(email, { username: `  ${'😀'.repeat(20)}  ` }));
    expect(res.body.errno).toBe(0);
    await login(t.client(), { email, password: PASSWORD });
  });

  it('answers 1002 for a password that is too short, too long, or lacks a letter or a digit', async () => {
    const email = await verifiedEmail();
    for (const password of ['abc1234', 'a1'.repeat(32) + 'x', '12345678', 'abcdefgh', '']) {
      const res = await post(t.client(), REGISTER, form(email, { password_1: password, password_2: password }));
      expect(res.body).toEqual({ errno: 1002, msg: '密码格式错误' });
    }
    const unicode = '密码密码密码密码1';
    expect((await post(t.client(), REGISTER, form(email, { password_1: unicode, password_2: unicode }))).body.errno).toBe(0);
  });

  it('answers 1003 when the two passwords differ (passwords are not trimmed)', async () => {
    const email = await verifiedEmail();
    const res = await post(t.client(), REGISTER, form(email, { password_2: `${PASSWORD} ` }));
    expect(res.body).toEqual({ errno: 1003, msg: '两次输入的密码不同' });
  });

  it('checks in the contract order: 1004, 1010, verification, 1001, 1002, 1003', async () => {
    const bad = { username: '', password_1: 'x', password_2: 'y' };
    expect((await post(t.client(), REGISTER, { ...bad, email: 'bad' })).body.errno).toBe(1004);
    const account = await register(t.client(), smtp);
    expect((await post(t.client(), REGISTER, { ...bad, email: account.email })).body.errno).toBe(1010);
    expect((await post(t.client(), REGISTER, { ...bad, email: randomEmail() })).body.errno).toBe(1009);
    const email = await verifiedEmail();
    expect((await post(t.client(), REGISTER, { ...bad, email })).body.errno).toBe(1001);
    expect((await post(t.client(), REGISTER, { ...bad, email, username: 'ok' })).body.errno).toBe(1002);
    expect((await post(t.client(), REGISTER, { ...bad, email, username: 'ok', password_1: PASSWORD })).body.errno).toBe(1003);
  });

  it('gives two concurrent registers for one email exactly one 0 and one 1010', async () => {
    for (let round = 0; round < 3; round++) {
      const email = await verifiedEmail();
      const answers = await Promise.all([post(t.client(), REGISTER, form(email)), post(t.client(), REGISTER, form(email))]);
      expect(answers.map((res) => res.body.errno).sort()).toEqual([0, 1010]);
    }
  });

  it('retries with a new uid when the random one is taken', async () => {
    const taken = await register(t.client(), smtp);
    const accounts = t.app.get(AccountService);
    const newUid = vi.spyOn(accounts as unknown as { newUid(): number }, 'newUid').mockReturnValueOnce(taken.uid);
    try {
      const email = randomEmail();
      const vcode = await requestCode(t.client(), smtp, email);
      const res = await post(t.client(), REGISTER, form(email, { vcode }));
      expect(res.body).toEqual({ errno: 0, msg: '注册成功', uid: expect.any(Number) });
      expect(res.body.uid).not.toBe(taken.uid);
      expect(newUid).toHaveBeenCalledTimes(2);
    } finally {
      newUid.mockRestore();
    }
  });

  it('stores the email in lower case', async () => {
    const email = randomEmail().toUpperCase();
    const vcode = await requestCode(t.client(), smtp, email);
    expect((await post(t.client(), REGISTER, form(email, { vcode }))).body.errno).toBe(0);
    const client = t.client();
    expect((await login(client, { email: email.toLowerCase(), password: PASSWORD })).body.errno).toBe(0);
    expect((await client.get('/api/account/me')).body.user.email).toBe(email.toLowerCase());
  });
});

describe('login, me and logout', () => {
  it('logs in by email or uid, sets an HttpOnly SameSite=Lax cookie, and me shows the account', async () => {
    const account = await register(t.client(), smtp, '小红');
    for (const user of [account.email, String(account.uid), ` ${account.email.toUpperCase()} `]) {
      const client = t.client();
      const res = await post(client, LOGIN, { user, password: PASSWORD });
      expect(res.body).toEqual({ errno: 0, msg: '登录成功', uid: account.uid, username: '小红' });
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/ps\.sid=/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const me = await client.get('/api/account/me');
      expect(me.body).toEqual({
        errno: 0,
        msg: 'ok',
        user: {
          uid: account.uid,
          username: '小红',
          email: account.email,
          created_at: expect.any(String),
          video_count: 0,
          bio: '',
          avatar_url: null,
          storage_used: 0,
          storage_quota: null,
          role: 'user',
        },
      });
      expect(Date.parse(me.body.user.created_at)).toBeGreaterThan(Date.now() - 3_600_000);
    }
  });

  it('answers 1001 when no account has that email or uid', async () => {
    for (const user of [randomEmail(), '1234567890', '', 'whatever']) {
      expect((await post(t.client(), LOGIN, { user, password: PASSWORD })).body).toEqual({ errno: 1001, msg: '请先注册' });
    }
  });

  it('answers 1002 for a wrong or missing password', async () => {
    const account = await register(t.client(), smtp);
    expect((await post(t.client(), LOGIN, { user: account.email, password: 'wrong1234' })).body).toEqual({
      errno: 1002,
      msg: '密码错误',
    });
    expect((await post(t.client(), LOGIN, { user: account.email })).body.errno).toBe(1002);
  });

  // One address: it is locked out, not the account (others log in: test/lockout.e2e-spec.ts).
  it('answers 1005 to one address after its 5 wrong passwords in 15 minutes, even the right password, until 15 minutes pass', async () => {
    const ip = randomIp();
    const account = await register(t.client(), smtp);
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) {
      expect((await post(t.client(ip), LOGIN, { user: account.email, password: `wrong${i}abc` })).body.errno).toBe(1002);
    }
    const locked = await login(t.client(ip), account);
    expect(locked.body).toEqual({ errno: 1005, msg: '操作过于频繁，请稍后再试' });
    expect((await post(t.client(ip), LOGIN, { user: String(account.uid), password: PASSWORD })).body.errno).toBe(1005);
    t.clock.advance(LOGIN_RULES.lockMs);
    expect((await login(t.client(ip), account)).body.errno).toBe(0);
  });

  it('counts concurrent wrong passwords one by one: of 8 at once from one address, five answer 1002 and it is locked out', async () => {
    const ip = randomIp();
    const account = await register(t.client(), smtp);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(t.client(ip), LOGIN, { user: account.email, password: `wrong${i}abc` })),
    );
    expect(answers.map((res) => res.body.errno).sort()).toEqual([1002, 1002, 1002, 1002, 1002, 1005, 1005, 1005]);
    expect((await login(t.client(ip), account)).body.errno).toBe(1005);
  });

  it('resets the failure count on a successful login', async () => {
    const account = await register(t.client(), smtp);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_RULES.maxFailures - 1; i++) {
        expect((await post(t.client(), LOGIN, { user: account.email, password: 'wrong1234' })).body.errno).toBe(1002);
      }
      expect((await login(t.client(), account)).body.errno).toBe(0);
    }
  });

  it('gives a new session id at login (no fixation)', async () => {
    const account = await register(t.client(), smtp);
    const client = t.client();
    const first = String((await login(client, account)).headers['set-cookie']).match(/ps\.sid=([^;]+)/)?.[1];
    const second = String((await login(client, account)).headers['set-cookie']).match(/ps\.sid=([^;]+)/)?.[1];
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    // The session the second login replaced is gone.
    expect((await t.client().get('/api/account/me').set('Cookie', `ps.sid=${first}`)).body.errno).toBe(1011);
    expect((await t.client().get('/api/account/me').set('Cookie', `ps.sid=${second}`)).body.errno).toBe(0);
  });

  it('answers 1011 to me without a session, and after logout, even replaying the old cookie', async () => {
    expect((await t.client().get('/api/account/me')).body).toEqual({ errno: 1011, msg: '请先登录' });
    const account = await register(t.client(), smtp);
    const client = t.client();
    const cookie = String((await login(client, account)).headers['set-cookie']).split(';')[0];
    expect((await client.get('/api/account/logout')).body).toEqual({ errno: 0, msg: '注销成功' });
    expect((await client.get('/api/account/me')).body.errno).toBe(1011);
    expect((await t.client().get('/api/account/me').set('Cookie', cookie)).body.errno).toBe(1011);
  });

  it("shows a space's public profile by uid, without the email, and 1001 for an unknown uid", async () => {
    const account = await register(t.client(), smtp, '公开');
    const res = await t.client().get(`/api/users/${account.uid}`);
    expect(res.body).toEqual({
      errno: 0,
      msg: 'ok',
      user: { uid: account.uid, username: '公开', created_at: expect.any(String), video_count: 0, bio: '', avatar_url: null },
    });
    for (const uid of ['1000000001', 'abc'])
      expect((await t.client().get(`/api/users/${uid}`)).body).toEqual({ errno: 1001, msg: '请先注册' });
  });

  it('answers 0 to logout without a session', async () => {
    expect((await t.client().get('/api/account/logout')).body).toEqual({ errno: 0, msg: '注销成功' });
  });
});
