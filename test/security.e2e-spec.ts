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
