import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmailCanonical1766000000000 } from '../src/database/migrations/1766000000000-email-canonical.js';
import { SESSION_MAX_AGE_MS } from '../src/session/session.module.js';
import { login, PASSWORD, post, requestCode } from './support/accounts.js';
import { useApp, useLogLines, useSmtp } from './support/e2e.js';
import { mp4 } from './support/fixtures.js';
import { randomEmail, startApp, testEnv } from './support/test-app.js';
import type TestAgent from 'supertest/lib/agent.js';
import type { SmtpCapture } from './support/smtp-capture.js';

/** Issue #11, points 4 and 7: attacks on other people's addresses, on the log, on what others read. */

const logLines = useLogLines();

const smtp = useSmtp();
// After the capture of stdout: the first app of the file sets pino's level (info: each request's line).
const { t } = useApp({ LOG_LEVEL: 'info' }, smtp);

const SEND = '/api/account/sendvcode';
const UPLOAD = '/api/videos/video_upload';
const TUS = '/api/videos/tus';

/** Registers `email` as written (the code comes from the mail to it, whatever the SMTP envelope spells). */
async function registerAs(client: TestAgent, capture: SmtpCapture, email: string, username = 'someone') {
  const before = capture.mails.length;
  const sent = await post(client, SEND, { email });
  if (sent.body.errno !== 0) return sent.body as { errno: number; uid?: number };
  const vcode =
    capture.mails
      .slice(before)
      .at(-1)
      ?.text.match(/Verification code: (\d{6})/)?.[1] ?? '';
  const res = await post(client, '/api/account/register', { email, vcode, username, password_1: PASSWORD, password_2: PASSWORD });
  return res.body as { errno: number; uid?: number };
}

describe('emails compare as written (#11, 4)', () => {
  it('lets victim@example.com register after victim@exämple.com, and each login opens its own account', async () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const attacker = `victim-${tag}@exämple.com`;
    const victim = `victim-${tag}@example.com`;
    const planted = await registerAs(t.client(), smtp, attacker, 'attacker');
    expect(planted.errno).toBe(0);
    const own = await registerAs(t.client(), smtp, victim, 'victim');
    expect(own.errno).toBe(0); // was 1010 on MariaDB: the accent-insensitive collation called them one
    expect(own.uid).not.toBe(planted.uid);
    const asVictim = await login(t.client(), { email: victim, password: PASSWORD });
    expect(asVictim.body).toMatchObject({ errno: 0, uid: own.uid, username: 'victim' });
    const asAttacker = await login(t.client(), { email: attacker, password: PASSWORD });
    expect(asAttacker.body).toMatchObject({ errno: 0, uid: planted.uid, username: 'attacker' });
  });

  it('keeps one account per address however it is composed or cased (NFC, lower case)', async () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const decomposed = `Zoe-${tag}@EXA\u0308MPLE.com`;
    const composed = `zoe-${tag}@exämple.com`;
    const first = await registerAs(t.client(), smtp, decomposed);
    expect(first.errno).toBe(0);
    expect((await post(t.client(), SEND, { email: composed })).body.errno).toBe(1010);
    expect((await login(t.client(), { email: composed, password: PASSWORD })).body).toMatchObject({ errno: 0, uid: first.uid });
  });

  it('migrates stored emails to the canonical form under a byte-comparing index', async () => {
    const data = t.app.get(DataSource);
    const tag = Math.random().toString(36).slice(2, 10);
    const row = (email: string, uid: number) =>
      data.query('INSERT INTO users (uid, username, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)', [
        uid,
        'old',
        email,
        'x',
        '2020-01-01 00:00:00',
      ]);
    const uid = () => 1_000_000_000 + Math.floor(Math.random() * 8_999_999_999);
    // Written before the canonical form: decomposed and upper case, and a pair that becomes one.
    await row(`OLD-${tag}@EXA\u0308MPLE.com`, uid());
    await row(`pair-${tag}@exämple.com`, uid());
    await row(`pair-${tag}@exa\u0308mple.com`, uid());
    const runner = data.createQueryRunner();
    try {
      await new EmailCanonical1766000000000().up(runner);
    } finally {
      await runner.release();
    }
    const emails = (await data.query<{ email: string }[]>('SELECT email FROM users')).map((r) => r.email);
    expect(emails).toContain(`old-${tag}@exämple.com`);
    expect(emails).toContain(`pair-${tag}@exämple.com`);
    expect(emails).toContain(`pair-${tag}@exa\u0308mple.com`); // its canonical form is taken: left as it was
    if (t.config.database.type === 'mysql') {
      const [column] = await data.query<{ c: string }[]>(
        "SELECT COLLATION_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'email'",
      );
      expect(column.c).toBe('utf8mb4_bin');
    }
  });
});

describe('smaller points (#11, 7)', () => {
  it('refuses a newline in an email address, which forged a log line (1004)', async () => {
    const before = smtp.mails.length;
    for (const email of [
      '"a\n{\\"level\\":\\"error\\",\\"msg\\":\\"forged\\"}"@example.com',
      '"a\r\nb"@example.com',
      'a\u2028b@example.com',
      'evil\u202Emoc.elpmaxe@example.com',
    ]) {
      expect((await post(t.client(), SEND, { email })).body.errno, JSON.stringify(email)).toBe(1004);
    }
    expect(smtp.mails.length).toBe(before);
  });

  it('keeps passwords in a query string out of the access log, however the name is encoded', async () => {
    await t
      .client()
      .post('/api/account/login?user=nobody@example.com&pass%77ord=hunter2secret&PASSWORD_1=other2secret&vcode%5B%5D=654321')
      .set('X-Request-Id', 'hardening-redact');
    const lines = logLines.map((line) => JSON.stringify(line)).filter((line) => line.includes('hardening-redact'));
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join('\n');
    expect(text).toContain('pass%77ord=[redacted]');
    expect(text).not.toContain('hunter2secret');
    expect(text).not.toContain('other2secret');
    expect(text).not.toContain('654321');
  });

  it('refuses bidi overrides and control characters in usernames (1001)', async () => {
    for (const username of ['abc\u202Etxt.exe', 'a\u2066b', 'tab\there', 'bell\u0007', 'c1\u0085']) {
      const email = randomEmail('bidi');
      const vcode = await requestCode(t.client(), smtp, email);
      const res = await post(t.client(), '/api/account/register', { email, vcode, username, password_1: PASSWORD, password_2: PASSWORD });
      expect(res.body.errno, JSON.stringify(username)).toBe(1001);
    }
  });

  it('refuses bidi overrides and control characters in titles and descriptions (9000), keeping line breaks in descriptions', async () => {
    const client = t.client();
    const email = randomEmail('titles');
    expect((await registerAs(client, smtp, email)).errno).toBe(0);
    expect((await login(client, { email, password: PASSWORD })).body.errno).toBe(0);
    for (const query of [
      { title: 'movie\u202Eexe.mp4' },
      { title: 'two\nlines' },
      { description: 'ring\u0007' },
      { description: '\u2067x' },
    ]) {
      const res = await client.post(UPLOAD).query(query).attach('video', mp4(), 'clip.mp4');
      expect(res.body.errno, JSON.stringify(query)).toBe(9000);
    }
    const fields = await client.post(UPLOAD).field('title', 'a\u202Eb').attach('video', mp4(), 'clip.mp4');
    expect(fields.body.errno).toBe(9000);
    const tus = await client
      .post(TUS)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', '100')
      .set('Upload-Metadata', `title ${Buffer.from('a\u202Eb').toString('base64')}`);
    expect(tus.status).toBe(400);
    const fine = await client
      .post(UPLOAD)
      .field('description', 'first line\r\nsecond line\n\tthird')
      .attach('video', mp4(), 'clip\u202E.mp4');
    expect(fine.body).toMatchObject({ errno: 0, video: { description: 'first line\r\nsecond line\n\tthird', title: 'clip' } });
  });

  it('ends a session 30 days after login, however active', async () => {
    const client = t.client();
    const email = randomEmail('lifetime');
    expect((await registerAs(client, smtp, email)).errno).toBe(0);
    expect((await login(client, { email, password: PASSWORD })).body.errno).toBe(0);
    const me = () => client.get('/api/account/me');
    expect((await me()).body.errno).toBe(0);
    // Active every 5 days (well within the 7-day rolling expiry), up to a minute before the limit.
    for (let day = 5; day < 30; day += 5) {
      t.clock.advance(5 * 24 * 60 * 60_000);
      expect((await me()).body.errno, `day ${day}`).toBe(0);
    }
    t.clock.advance(SESSION_MAX_AGE_MS - 25 * 24 * 60 * 60_000 - 60_000);
    expect((await me()).body.errno).toBe(0);
    t.clock.advance(2 * 60_000);
    expect((await me()).body.errno).toBe(1011);
    expect((await me()).body.errno).toBe(1011); // gone from the store, not only refused once
    expect(SESSION_MAX_AGE_MS).toBe(30 * 24 * 60 * 60_000);
  });

  it('answers an anonymous tus request 401 with 1011, as the docs say', async () => {
    const res = await t.client().post(TUS).set('Tus-Resumable', '1.0.0').set('Upload-Length', '100');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errno: 1011, msg: '请先登录' });
    const head = await t.client().head(`${TUS}/0123456789abcdef0123456789abcdef`).set('Tus-Resumable', '1.0.0');
    expect(head.status).toBe(401);
  });
});

describe('files only the owner reads (#11, 7)', () => {
  it('creates the SQLite file and the outbox readable by the owner only (0600 / 0700)', async () => {
    const app = await startApp(testEnv({ SMTP_URL: undefined, DATABASE_URL: undefined, REDIS_URL: undefined }));
    try {
      expect((await post(app.client(), SEND, { email: randomEmail() })).body.errno).toBe(0);
      const outbox = join(app.config.dataDir, 'outbox');
      expect(statSync(outbox).mode & 0o777).toBe(0o700);
      const [mail] = readdirSync(outbox);
      expect(statSync(join(outbox, mail)).mode & 0o777).toBe(0o600);
      expect(app.config.database.type).toBe('sqlite');
      const database = app.config.database.type === 'sqlite' ? app.config.database.path : '';
      expect(statSync(database).mode & 0o777).toBe(0o600);
    } finally {
      await app.close();
    }
  });
});
