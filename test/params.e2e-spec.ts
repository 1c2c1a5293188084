import { post, register, PASSWORD } from './support/accounts.js';
import { useApp } from './support/e2e.js';
import { randomEmail, type TestApp } from './support/test-app.js';

const { t, smtp } = useApp();

const SEND = '/api/account/sendvcode';

describe('parameters', () => {
  it('reads them from the query string, as the seed sends them', async () => {
    const email = randomEmail();
    expect((await t.client().post(`${SEND}?email=${encodeURIComponent(email)}`)).body.errno).toBe(0);
    expect(smtp.mailsTo(email)).toHaveLength(1);
  });

  it('reads them from JSON, urlencoded and multipart bodies', async () => {
    const emails = [randomEmail(), randomEmail(), randomEmail()];
    expect((await t.client().post(SEND).send({ email: emails[0] })).body.errno).toBe(0);
    expect((await t.client().post(SEND).type('form').send({ email: emails[1] })).body.errno).toBe(0);
    expect((await t.client().post(SEND).field('email', emails[2])).body.errno).toBe(0);
    for (const email of emails) expect(smtp.mailsTo(email)).toHaveLength(1);
  });

  it('lets the body win over the query', async () => {
    const email = randomEmail();
    const res = await t.client().post(`${SEND}?email=not-an-email`).send({ email });
    expect(res.body.errno).toBe(0);
    expect(smtp.mailsTo(email)).toHaveLength(1);
  });

  it('trims surrounding whitespace, but not from passwords', async () => {
    const email = randomEmail();
    expect(
      (
        await t
          .client()
          .post(SEND)
          .send({ email: `  ${email}\n` })
      ).body.errno,
    ).toBe(0);
    expect(smtp.mailsTo(email)).toHaveLength(1);
    const account = await register(t.client(), smtp);
    const padded = await post(t.client(), '/api/account/login', { user: account.email, password: ` ${PASSWORD} ` });
    expect(padded.body.errno).toBe(1002);
  });

  it('serves //api/... like /api/..., keeping the query', async () => {
    const email = randomEmail();
    const res = await t.client().post(`//api/account/sendvcode?email=${encodeURIComponent(email)}`);
    expect(res.body).toEqual({ errno: 0, msg: '验证码已发送，请查阅' });
    expect((await t.client().get('//api//account/logout')).body.errno).toBe(0);
  });
});

describe('9000: malformed requests change nothing', () => {
  const cases: [string, (client: ReturnType<TestApp['client']>) => Promise<{ status: number; body: unknown }>][] = [
    ['unparsable JSON', (c) => c.post(SEND).set('Content-Type', 'application/json').send('{"email": ')],
    ['a JSON array body', (c) => c.post(SEND).send([randomEmail()])],
    ['a JSON string body', (c) => c.post(SEND).set('Content-Type', 'application/json').send('"x@example.com"')],
    ['a number where a string belongs', (c) => c.post(SEND).send({ email: 12345 })],
    ['an array where a string belongs', (c) => c.post(SEND).send({ email: [randomEmail()] })],
    ['an object where a string belongs', (c) => c.post(SEND).send({ email: { $ne: '' } })],
    ['a repeated query parameter', (c) => c.post(`${SEND}?email=a@example.com&email=b@example.com`)],
    ['a repeated form field', (c) => c.post(SEND).type('form').send(`email=${randomEmail()}&email=${randomEmail()}`)],
    ['a file in a multipart form', (c) => c.post(SEND).field('email', randomEmail()).attach('file', Buffer.from('x'), 'x.txt')],
    [
      'a truncated multipart body',
      (c) =>
        c
          .post(SEND)
          .set('Content-Type', 'multipart/form-data; boundary=zz')
          .send('--zz\r\nContent-Disposition: form-data; name="email"\r\n\r\nx@'),
    ],
    ['a body over 64 KiB', (c) => c.post(SEND).send({ email: 'x'.repeat(70_000) })],
    ['a login with an object password', (c) => c.post('/api/account/login').send({ user: 'a@example.com', password: { a: 1 } })],
    ['a register with a numeric username', (c) => c.post('/api/account/register').send({ email: randomEmail(), username: 7 })],
  ];

  it.each(cases)('answers 9000 (HTTP 200) to %s', async (_name, send) => {
    const res = await send(t.client());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ errno: 9000, msg: '请求参数错误' });
  });

  it('sends no mail for any of them', () => {
    expect(smtp.mails.filter((mail) => mail.to.startsWith('a@') || mail.to.startsWith('b@'))).toHaveLength(0);
  });
});

describe('unknown routes and languages', () => {
  it('answers HTTP 404 with errno 9404 to an unknown route', async () => {
    for (const res of [
      await t.client().get('/api/nope'),
      await t.client().post('/api/account/nope'),
      await t.client().get('/api/account/sendvcode'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errno: 9404, msg: '接口不存在' });
    }
  });

  it('answers in English to Accept-Language: en, with the same errno', async () => {
    const client = t.client();
    const bad = await post(client, SEND, { email: 'bad' }).set('Accept-Language', 'en');
    expect(bad.body).toEqual({ errno: 1004, msg: 'Invalid email address' });
    const ok = await post(client, SEND, { email: randomEmail() }).set('Accept-Language', 'en-US,en;q=0.9');
    expect(ok.body).toEqual({ errno: 0, msg: 'The verification code has been sent' });
    const zh = await post(client, SEND, { email: 'bad' }).set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(zh.body.msg).toBe('邮箱格式错误');
  });

  it('never shows a stack, SQL or a path', async () => {
    const res = await t.client().post(SEND).set('Content-Type', 'application/json').send('{"email":');
    expect(JSON.stringify(res.body)).not.toMatch(/at |SELECT|\/work|node_modules|SyntaxError/);
  });
});

describe('health', () => {
  it('reports each dependency', async () => {
    const res = await t.client().get('/api/health');
    expect(res.body).toEqual({
      errno: 0,
      msg: 'ok',
      db: 'up',
      redis: process.env.REDIS_URL ? 'up' : 'off',
      storage: 'up',
      ffmpeg: 'up',
      processing: {
        engine: process.env.REDIS_URL ? 'bullmq' : 'in-process',
        local_worker: true,
        waiting: 0,
        active: 0,
        // BullMQ counts the workers connected to this test's queue: this app's.
        workers: 1,
      },
    });
  });
});
