import type { AddressInfo } from 'node:net';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { Metrics } from '../src/infra/metrics.js';
import { login, post, register, type Account } from './support/accounts.js';
import { mp4 } from './support/fixtures.js';
import { parseRaw, rawRequest, sendOnAfterAnswer } from './support/raw-http.js';
import { useApp, useLogLines } from './support/e2e.js';
import { startApp, testEnv } from './support/test-app.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The value of one sample of the Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        Object.entries(labels).every(([key, value]) => l.includes(`${key}="${value}"`)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const logLines = useLogLines();

// After the capture of stdout: the first app of the file sets pino's level for the file (info, to see each request's line).
const { t, smtp } = useApp({ METRICS: 'on', LOG_LEVEL: 'info' });

describe('answers the parser refuses', () => {
  it('answers headers over the limit with 431 and the envelope', async () => {
    const answer = parseRaw(await rawRequest(t, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.headers).toContain('content-type: application/json; charset=utf-8');
    expect(answer.headers).toContain('connection: close');
    expect(answer.body).toEqual({ errno: 9000, msg: '请求参数错误' });
  });

  it('answers 431 to a client that goes on sending after it: the rest is dropped, not met with a reset', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const answer = parseRaw(
      await sendOnAfterAnswer(port, `POST /api/videos/video_upload HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n`),
    );
    expect(answer.status).toBe(431);
    expect(answer.body).toEqual({ errno: 9000, msg: '请求参数错误' });
  });

  it('answers a malformed request with 400 and the envelope', async () => {
    const answer = parseRaw(await rawRequest(t, 'NOT A REQUEST\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ errno: 9000, msg: '请求参数错误' });
  });

  it('answers a target with raw UTF-8 (curl "…?q=第一" not percent-encoded) with 400 and the envelope', async () => {
    // The socket writes the string as UTF-8: the target's bytes go raw.
    const answer = parseRaw(await rawRequest(t, 'GET /api/videos?uid=1&q=第一 HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(answer).toMatchObject({ status: 400, body: { errno: 9000, msg: '请求参数错误' } });
  });

  it('answers a malformed request after a good one on the same connection', async () => {
    const answer = await rawRequest(
      t,
      'GET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n',
    );
    const [first, second] = answer.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 404 /);
    expect(parseRaw(second)).toMatchObject({ status: 400, body: { errno: 9000, msg: '请求参数错误' } });
  });
});

describe('request ids', () => {
  it('answers a new X-Request-Id, or the caller’s when it is sane', async () => {
    const fresh = await t.client().get('/api/health');
    expect(fresh.headers['x-request-id']).toMatch(UUID);
    expect((await t.client().get('/api/health').set('X-Request-Id', 'lb-1234.abc')).headers['x-request-id']).toBe('lb-1234.abc');
    const hostile = await t
      .client()
      .get('/api/health')
      .set('X-Request-Id', `x${'y'.repeat(200)}`);
    expect(hostile.headers['x-request-id']).toMatch(UUID);
    // Unknown routes and the web client's pages carry one too.
    expect((await t.client().get('/api/nothing')).headers['x-request-id']).toMatch(UUID);
  });

  it('shows the request id on every log line of that request, a 9999 included', async () => {
    const metrics = t.app.get(Metrics);
    const render = vi.spyOn(metrics, 'render').mockRejectedValueOnce(new Error('the registry broke'));
    const res = await t.client().get('/metrics').set('X-Request-Id', 'req-9999-test');
    render.mockRestore();
    expect(res.body).toEqual({ errno: 9999, msg: '服务器内部错误' });
    expect(res.headers['x-request-id']).toBe('req-9999-test');
    const lines = logLines.filter((line) => JSON.stringify(line).includes('req-9999-test'));
    const error = lines.find((line) => line.context === 'ErrnoFilter');
    expect(error).toMatchObject({ level: 'error', reqId: 'req-9999-test' });
    expect(JSON.stringify(error)).toContain('the registry broke');
    // Every line that names the request carries its id at the top.
    expect(lines.every((line) => line.reqId === 'req-9999-test')).toBe(true);
  });

  it('ends each request with one line: id, method, path, status, time', async () => {
    await t.client().get('/api/videos/nope?page=2').set('X-Request-Id', 'req-line-test');
    const line = logLines.find((l) => l.reqId === 'req-line-test' && l.msg === 'request completed');
    expect(line).toMatchObject({
      level: 'info',
      req: { id: 'req-line-test', method: 'GET', url: '/api/videos/nope?page=2' },
      res: { statusCode: 200 },
    });
    expect(typeof line?.responseTime).toBe('number');
    expect(typeof line?.time).toBe('string');
  });

  it('keeps passwords, codes and cookies out of the log', async () => {
    await t
      .client()
      .post('/api/account/login?user=nobody@example.com&password=hunter2secret&vcode=123456')
      .set('Cookie', 'ps.sid=secretcookie');
    const text = JSON.stringify(logLines);
    expect(text).toContain('password=[redacted]');
    expect(text).not.toContain('hunter2secret');
    expect(text).not.toContain('123456');
    expect(text).not.toContain('secretcookie');
  });
});

describe('/metrics', () => {
  it('counts requests by route pattern, logins by outcome, upload bytes and processing runs', async () => {
    const scrape = async () => (await t.client().get('/metrics')).text;
    const before = await scrape();
    const owner: Account = await register(t.client(), smtp);
    const client = t.client();
    expect((await login(client, owner)).body.errno).toBe(0);
    expect((await login(t.client(), { ...owner, password: 'wrong-password1' })).body.errno).toBe(1002);
    expect((await post(t.client(), '/api/account/login', { user: 'nobody@example.com', password: 'x' })).body.errno).toBe(1001);
    const file = mp4();
    const upload = await client.post('/api/videos/video_upload').attach('video', file, 'a.mp4').field('title', 'metrics');
    expect(upload.body.errno).toBe(0);
    const id = upload.body.video.id as string;
    await client.get(`/api/videos/${id}`);
    await t.app.get(VideoProcessor).idle();

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('ps_logins_total', { outcome: 'success' })).toBe(1);
    expect(delta('ps_logins_total', { outcome: 'wrong_password' })).toBe(1);
    expect(delta('ps_logins_total', { outcome: 'unknown_account' })).toBe(1);
    expect(delta('ps_upload_bytes_total')).toBe(file.length);
    expect(delta('ps_processing_job_duration_seconds_count', { outcome: 'ready' })).toBe(1);
    expect(after).toMatch(/^ps_processing_jobs\{state="waiting"\} 0$/m);
    // The route pattern, never the id.
    expect(delta('http_request_duration_seconds_count', { method: 'GET', route: '/api/videos/:id', status: '200' })).toBe(1);
    expect(after).not.toContain(id);
    expect(sample(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts a locked account as locked', async () => {
    const account = await register(t.client(), smtp);
    const before = (await t.client().get('/metrics')).text;
    // Locked for this address: five wrong passwords from it (docs/security.md).
    for (let i = 0; i < 5; i++) await login(t.client('10.7.7.7'), { ...account, password: 'wrong-password1' });
    expect((await login(t.client('10.7.7.7'), account)).body.errno).toBe(1005);
    const after = (await t.client().get('/metrics')).text;
    expect(sample(after, 'ps_logins_total', { outcome: 'locked' }) - sample(before, 'ps_logins_total', { outcome: 'locked' })).toBe(1);
  });

  // Last: another app replaces passport's (process-wide) strategy, and with it the first app's logins.
  it('is an unknown route unless METRICS=on or a token is set', async () => {
    const off = await startApp(testEnv());
    try {
      const res = await off.client().get('/metrics').set('Accept', 'text/html,*/*');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errno: 9404, msg: '接口不存在' });
    } finally {
      await off.close();
    }
  });

  it('wants the bearer token when METRICS_TOKEN is set', async () => {
    const guarded = await startApp(testEnv({ METRICS_TOKEN: TOKEN }));
    try {
      const none = await guarded.client().get('/metrics');
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(none.body).toEqual({ errno: 1011, msg: '请先登录' });
      expect((await guarded.client().get('/metrics').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(401);
      const ok = await guarded.client().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(ok.text).toContain('# TYPE http_request_duration_seconds histogram');
    } finally {
      await guarded.close();
    }
  });
});
