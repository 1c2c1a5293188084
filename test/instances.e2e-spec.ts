import { createHash } from 'node:crypto';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { login, post, PASSWORD } from './support/accounts.js';
import { mp4 } from './support/fixtures.js';
import { useSmtp } from './support/e2e.js';
import { randomEmail, randomIp, startApp, testEnv, type TestApp } from './support/test-app.js';

/**
 * Two app instances on different ports sharing the database, Redis and the video storage: the
 * whole flow hops between them. Without Redis, codes and limits are per instance by design, so
 * vitest.config.ts runs this file only when REDIS_URL is set (CI's MariaDB + Redis pass).
 */
describe('two instances behind one load balancer', () => {
  const smtp = useSmtp();
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = testEnv({ SMTP_URL: smtp.url });
    a = await startApp(env);
    b = await startApp(env);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('serves one user across both instances', async () => {
    expect(a.app.getHttpServer().address()).not.toEqual(b.app.getHttpServer().address());
    const ip = randomIp();
    const email = randomEmail('lb');

    // Code sent via A; the cooldown holds on B; validated via B; registered on A.
    expect((await post(a.client(ip), '/api/account/sendvcode', { email })).body.errno).toBe(0);
    expect((await post(b.client(ip), '/api/account/sendvcode', { email })).body.errno).toBe(1005);
    expect((await post(b.client(ip), '/api/account/validatevacode', { email, vcode: smtp.lastCode(email) })).body.errno).toBe(0);
    const registered = await post(a.client(ip), '/api/account/register', {
      email,
      username: '负载均衡',
      password_1: PASSWORD,
      password_2: PASSWORD,
    });
    expect(registered.body.errno).toBe(0);

    // Logged in on B; A accepts B's cookie for an upload.
    const cookie = String((await login(b.client(ip), { email, password: PASSWORD })).headers['set-cookie']).split(';')[0];
    const file = mp4();
    const uploaded = await a.client(ip).post('/api/videos/video_upload').set('Cookie', cookie).attach('video', file, 'lb.mp4');
    expect(uploaded.body.errno).toBe(0);
    const { id } = uploaded.body.video as { id: string };
    await a.app.get(VideoProcessor).idle();

    // Listed and streamed on B.
    const listed = await b.client(ip).get('/api/videos').set('Cookie', cookie);
    expect(listed.body.videos.map((v: { id: string }) => v.id)).toEqual([id]);
    expect(listed.body.videos[0].status).toBe('ready');
    const streamed = await b.client(ip).get(`/api/videos/${id}/stream`).buffer(true);
    expect(
      createHash('sha256')
        .update(streamed.body as Buffer)
        .digest('hex'),
    ).toBe(uploaded.body.video.sha256);
    expect((await b.client(ip).get(`/api/videos/${id}/cover`)).status).toBe(200);

    // Deleted on A: gone on B.
    expect((await a.client(ip).delete(`/api/videos/${id}`).set('Cookie', cookie)).body.errno).toBe(0);
    expect((await b.client(ip).get(`/api/videos/${id}/stream`)).status).toBe(404);

    // Lockout across instances: failures split between A and B lock this address out on both.
    for (let i = 0; i < 5; i++) {
      const instance = i % 2 ? a : b;
      expect((await post(instance.client(ip), '/api/account/login', { user: email, password: 'wrong1234' })).body.errno).toBe(1002);
    }
    expect((await login(a.client(ip), { email, password: PASSWORD })).body.errno).toBe(1005);
    expect((await login(b.client(ip), { email, password: PASSWORD })).body.errno).toBe(1005);
  });

  it('lets a tus upload started on A be finished on B', async () => {
    const ip = randomIp();
    const email = randomEmail('tus-lb');
    await post(a.client(ip), '/api/account/sendvcode', { email });
    const vcode = smtp.lastCode(email);
    await post(a.client(ip), '/api/account/register', { email, vcode, username: 'tus', password_1: PASSWORD, password_2: PASSWORD });
    const cookie = String((await login(a.client(ip), { email, password: PASSWORD })).headers['set-cookie']).split(';')[0];
    const file = mp4();
    const half = Math.floor(file.length / 2);
    const tus = { 'Tus-Resumable': '1.0.0', Cookie: cookie };

    const created = await a.client(ip).post('/api/videos/tus').set(tus).set('Upload-Length', String(file.length));
    expect(created.status).toBe(201);
    const path = String(created.headers.location);
    const first = await a
      .client(ip)
      .patch(path)
      .set(tus)
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(file.subarray(0, half));
    expect(first.status).toBe(204);

    expect((await b.client(ip).head(path).set(tus)).headers['upload-offset']).toBe(String(half));
    const last = await b
      .client(ip)
      .patch(path)
      .set(tus)
      .set('Upload-Offset', String(half))
      .set('Content-Type', 'application/offset+octet-stream')
      .send(file.subarray(half));
    expect(last.status).toBe(200);
    expect(last.body.video.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    const id = path.split('/').pop()!;
    expect((await a.client(ip).get(`/api/videos/tus/${id}`).set('Cookie', cookie)).body.video.id).toBe(last.body.video.id);
  });

  it('shares the per-IP send limit across instances', async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i++) {
      const instance = i % 2 ? a : b;
      expect((await post(instance.client(ip), '/api/account/sendvcode', { email: randomEmail() })).body.errno).toBe(0);
    }
    expect((await post(a.client(ip), '/api/account/sendvcode', { email: randomEmail() })).body.errno).toBe(1005);
    expect((await post(b.client(ip), '/api/account/sendvcode', { email: randomEmail() })).body.errno).toBe(1005);
  });
  describe('counts requests that reach A and B at once one by one', () => {
    const both = <T>(n: number, send: (instance: TestApp, i: number) => Promise<T>) =>
      Promise.all(Array.from({ length: n }, (_, i) => send(i % 2 ? a : b, i)));
    const errnos = (answers: { body: { errno: number } }[]) => answers.map((res) => res.body.errno).sort();

    it('sends one code for one email', async () => {
      const email = randomEmail();
      const answers = await both(6, (instance) => post(instance.client(), '/api/account/sendvcode', { email }));
      expect(errnos(answers)).toEqual([0, 1005, 1005, 1005, 1005, 1005]);
      expect(smtp.mailsTo(email)).toHaveLength(1);
    });

    it('sends at most 10 codes an hour from one IP', async () => {
      const ip = randomIp();
      const answers = await both(14, (instance) => post(instance.client(ip), '/api/account/sendvcode', { email: randomEmail() }));
      expect(errnos(answers)).toEqual([...Array(10).fill(0), ...Array(4).fill(1005)]);
    });

    it('burns a code for one address after its five wrong tries', async () => {
      const ip = randomIp();
      const email = randomEmail();
      expect((await post(a.client(), '/api/account/sendvcode', { email })).body.errno).toBe(0);
      const vcode = smtp.lastCode(email);
      const wrong = vcode === '222222' ? '222223' : '222222';
      const answers = await both(10, (instance) => post(instance.client(ip), '/api/account/validatevacode', { email, vcode: wrong }));
      expect(errnos(answers)).toEqual([...Array(5).fill(1007), ...Array(5).fill(1008)]);
      expect((await post(b.client(ip), '/api/account/validatevacode', { email, vcode })).body.errno).toBe(1008);
    });

    it('checks at most 30 wrong codes from any number of addresses, then burns the code for everyone', async () => {
      const email = randomEmail();
      expect((await post(a.client(), '/api/account/sendvcode', { email })).body.errno).toBe(0);
      const vcode = smtp.lastCode(email);
      const wrong = vcode === '333333' ? '333334' : '333333';
      const ips = Array.from({ length: 8 }, () => randomIp());
      const answers = await both(40, (instance, i) =>
        post(instance.client(ips[i % ips.length]), '/api/account/validatevacode', { email, vcode: wrong }),
      );
      expect(errnos(answers)).toEqual([...Array(30).fill(1007), ...Array(10).fill(1008)]);
      expect((await post(b.client(), '/api/account/validatevacode', { email, vcode })).body.errno).toBe(1008);
    });

    it('checks at most five wrong passwords from one address, then it is locked out', async () => {
      const ip = randomIp();
      const email = randomEmail();
      await post(a.client(), '/api/account/sendvcode', { email });
      const vcode = smtp.lastCode(email);
      const registered = await post(b.client(), '/api/account/register', {
        email,
        vcode,
        username: 'lock',
        password_1: PASSWORD,
        password_2: PASSWORD,
      });
      expect(registered.body.errno).toBe(0);
      const answers = await both(8, (instance, i) =>
        post(instance.client(ip), '/api/account/login', { user: email, password: `wrong${i}abc` }),
      );
      expect(errnos(answers)).toEqual([...Array(5).fill(1002), ...Array(3).fill(1005)]);
      expect((await login(a.client(ip), { email, password: PASSWORD })).body.errno).toBe(1005);
      expect((await login(b.client(), { email, password: PASSWORD })).body.errno).toBe(0);
    });
  });
});
