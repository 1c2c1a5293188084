import { login, register } from './support/accounts.js';
import { mp4 } from './support/fixtures.js';
import { useApp, useSmtp } from './support/e2e.js';
import { startApp, testEnv } from './support/test-app.js';

const smtp = useSmtp();

describe('security headers and CORS', () => {
  const { t } = useApp({}, smtp);

  it("sends helmet's headers and no X-Powered-By", async () => {
    const res = await t.client().get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows no other origin by default', async () => {
    const res = await t.client().get('/api/health').set('Origin', 'https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves stored bytes so that a browser can never run them as a page', async () => {
    const client = t.client();
    await login(client, await register(t.client(), smtp));
    const { video } = (await client.post('/api/videos/video_upload').attach('video', mp4(), '<script>.mp4')).body;
    expect(video.title).toBe('<script>'); // stored as given…
    const res = await t.client().get(video.stream_url);
    expect(res.headers['content-type']).toBe('video/mp4'); // …served with the sniffed type, never a page type
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });
});

describe('with CORS_ORIGIN', () => {
  it('lets the configured origin call the API with cookies, and no other', async () => {
    const t = await startApp(testEnv({ SMTP_URL: smtp.url, CORS_ORIGIN: 'https://app.example.com' }));
    try {
      const allowed = await t
        .client()
        .options('/api/account/login')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'POST');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      const other = await t.client().get('/api/health').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('cross-site request forgery from a same-site page (another port, a sibling subdomain)', () => {
  const { t } = useApp({}, smtp);
  const EVIL = 'http://127.0.0.1:9'; // same site as the app (another port): SameSite=Lax sends the cookie
  const own = () => `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;

  it('refuses a planted upload into a logged-in visitor’s space (9001, HTTP 403), and stores nothing', async () => {
    const victim = t.client();
    await login(victim, await register(t.client(), smtp));
    const planted = await victim
      .post('/api/videos/video_upload')
      .set({ Origin: EVIL, 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors' })
      .attach('video', mp4(), 'planted.mp4');
    expect(planted.status).toBe(403);
    expect(planted.body).toEqual({ errno: 9001, msg: '跨站请求已拒绝' });
    expect((await victim.get('/api/videos')).body.total).toBe(0);
    // The same upload from the app's own page goes through.
    const own = await victim.post('/api/videos/video_upload').set({ 'Sec-Fetch-Site': 'same-origin' }).attach('video', mp4(), 'mine.mp4');
    expect(own.body.errno).toBe(0);
  });

  it('refuses a cross-site login form: the browser is not logged in as the attacker', async () => {
    const attacker = await register(t.client(), smtp);
    const browser = t.client();
    const res = await browser
      .post('/api/account/login')
      .type('form')
      .set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' })
      .send({ user: attacker.email, password: attacker.password });
    expect(res.status).toBe(403);
    expect(res.body.errno).toBe(9001);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await browser.get('/api/account/me')).body.errno).toBe(1011);
  });

  it('refuses tus from another origin before tus sees it', async () => {
    const victim = t.client();
    await login(victim, await register(t.client(), smtp));
    const res = await victim
      .post('/api/videos/tus')
      .set({ Origin: EVIL, 'Sec-Fetch-Site': 'same-site', 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' });
    expect(res.status).toBe(403);
    expect(res.body.errno).toBe(9001);
    expect(res.headers.location).toBeUndefined();
  });

  it('refuses Origin: null and a foreign Origin from browsers without Sec-Fetch-Site', async () => {
    for (const origin of ['null', EVIL, 'https://evil.example', 'garbage']) {
      const res = await t.client().post('/api/account/sendvcode').set('Origin', origin).type('form').send({ email: 'a@example.com' });
      expect([origin, res.status, res.body.errno]).toEqual([origin, 403, 9001]);
    }
  });

  it('lets the app’s own origin and non-browser clients (the seed’s query-parameter calls) through', async () => {
    const seed = await t.client().post('/api/account/sendvcode?email=seed-caller@example.com');
    expect(seed.body.errno).toBe(0);
    const ownOrigin = await t.client().post('/api/account/sendvcode').set('Origin', own()).type('form').send({ email: 'own@example.com' });
    expect(ownOrigin.body.errno).toBe(0);
    // Behind the (trusted) proxy, the origin the browser saw is X-Forwarded-Host's, over https.
    const proxied = await t
      .client()
      .post('/api/account/sendvcode')
      .set({ Origin: 'https://space.example.org', 'X-Forwarded-Host': 'space.example.org', 'X-Forwarded-Proto': 'https' })
      .type('form')
      .send({ email: 'proxied@example.com' });
    expect(proxied.body.errno).toBe(0);
    const typed = await t
      .client()
      .post('/api/account/sendvcode')
      .set('Sec-Fetch-Site', 'none')
      .type('form')
      .send({ email: 'typed@example.com' });
    expect(typed.body.errno).toBe(0);
  });

  it('keeps the session on a logout link from another site, and ends it on the app’s own logout', async () => {
    const victim = t.client();
    await login(victim, await register(t.client(), smtp));
    for (const site of ['cross-site', 'same-site']) {
      const res = await victim.get('/api/account/logout').set({ 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': 'navigate' });
      expect([site, res.status, res.body.errno]).toEqual([site, 403, 9001]);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await victim.get('/api/account/me')).body.errno).toBe(0);
    }
    expect((await victim.get('/api/account/logout').set('Sec-Fetch-Site', 'same-origin')).body.errno).toBe(0);
    expect((await victim.get('/api/account/me')).body.errno).toBe(1011);
    // The seed's logout (no browser headers) still always succeeds.
    expect((await t.client().get('/api/account/logout')).body).toEqual({ errno: 0, msg: '注销成功' });
  });
});

describe('X-Forwarded-Host without a trusted proxy', () => {
  const { t } = useApp({ TRUST_PROXY: 'false' }, smtp);

  it('is not the app’s origin: a forged one is refused', async () => {
    const res = await t
      .client()
      .post('/api/account/sendvcode')
      .set({ Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' })
      .type('form')
      .send({ email: 'forged@example.com' });
    expect(res.status).toBe(403);
    expect(res.body.errno).toBe(9001);
  });
});

describe('deployments that just work', () => {
  it('sends upgrade-insecure-requests only over HTTPS (COOKIE_SECURE, or a trusted proxy saying https)', async () => {
    const plain = await startApp(testEnv({ SMTP_URL: smtp.url }));
    const secure = await startApp(testEnv({ SMTP_URL: smtp.url, COOKIE_SECURE: 'true' }));
    try {
      const csp = async (t: typeof plain, headers: Record<string, string> = {}) =>
        (await t.client().get('/').set(headers).set('Host', 'nas.home.arpa:3000')).headers['content-security-policy'];
      expect(await csp(plain)).toContain("default-src 'self'");
      expect(await csp(plain)).not.toContain('upgrade-insecure-requests');
      expect(await csp(plain, { 'X-Forwarded-Proto': 'https' })).toContain('upgrade-insecure-requests');
      expect(await csp(secure)).toContain('upgrade-insecure-requests');
    } finally {
      await Promise.all([plain.close(), secure.close()]);
    }
  });

  it('serves Swagger UI by default, and hides it with API_DOCS=off', async () => {
    const off = await startApp(testEnv({ SMTP_URL: smtp.url, API_DOCS: 'off' }));
    const on = await startApp(testEnv({ SMTP_URL: smtp.url }));
    try {
      expect((await on.client().get('/api/docs-json')).status).toBe(200);
      expect((await on.client().get('/api/docs/').set('Accept', 'text/html')).status).toBe(200);
      const json = await off.client().get('/api/docs-json');
      expect([json.status, json.body.errno]).toEqual([404, 9404]);
      const page = await off.client().get('/api/docs/').set('Accept', 'text/html');
      expect([page.status, page.body.errno]).toEqual([404, 9404]);
    } finally {
      await Promise.all([off.close(), on.close()]);
    }
  });

  it('answers tus with the configured origin (never * with credentials) under CORS_ORIGIN', async () => {
    const t = await startApp(testEnv({ SMTP_URL: smtp.url, CORS_ORIGIN: 'https://app.example.com' }));
    try {
      const client = t.client();
      await login(client, await register(t.client(), smtp));
      const created = await client
        .post('/api/videos/tus')
        .set({ Origin: 'https://app.example.com', 'Sec-Fetch-Site': 'cross-site', 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' });
      expect(created.status).toBe(201);
      expect(created.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(created.headers['access-control-allow-credentials']).toBe('true');
      // The configured origin passes the cross-site guard; another origin does not.
      const other = await client
        .post('/api/videos/tus')
        .set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' });
      expect([other.status, other.body.errno]).toEqual([403, 9001]);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
