import { readFileSync } from 'node:fs';
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../client/src/api-types.js';
import { API_TYPES_FILE, apiTypes } from '../scripts/api-types-file.js';
import { OPENAPI_FILE } from '../scripts/openapi-file.js';
import { SESSION_COOKIE } from '../src/session/session.module.js';
import { mp4 } from './support/fixtures.js';
import { SmtpCapture } from './support/smtp-capture.js';
import { randomEmail, randomIp, startApp, testEnv, type TestApp } from './support/test-app.js';
import { launchChromium } from './support/browser.js';

let smtp: SmtpCapture;
let t: TestApp;
let base: string;

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  t = await startApp(testEnv({ SMTP_URL: smtp.url }));
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
});

afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

const document = () =>
  JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { components: { schemas: Record<string, { properties: object }> } };
const propertiesOf = (schema: string) => Object.keys(document().components.schemas[schema].properties).sort();

/** A typed client of the committed document (openapi-fetch), with a cookie jar and its own IP, as a browser has. */
function typedClient() {
  let cookie = '';
  const jar: Middleware = {
    onRequest({ request }) {
      if (cookie) request.headers.set('Cookie', cookie);
      request.headers.set('X-Forwarded-For', ip);
      return request;
    },
    onResponse({ response }) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        if (pair.startsWith(`${SESSION_COOKIE}=`)) cookie = pair.endsWith('=') ? '' : pair;
      }
      return response;
    },
  };
  const ip = randomIp();
  const client = createClient<paths>({ baseUrl: base });
  client.use(jar);
  return client;
}

describe('the web client types', () => {
  it('keeps client/src/api-types.ts generated from openapi.json (run `npm run openapi:types`)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(await apiTypes(readFileSync(OPENAPI_FILE, 'utf8')));
  });
});

describe('a client generated from openapi.json', () => {
  it('runs the whole account flow: sendvcode, validatevacode, register, login, me, logout', async () => {
    const api = typedClient();
    const email = randomEmail('typed');

    const sent = await api.POST('/api/account/sendvcode', { body: { email } });
    expect(sent.data).toEqual({ errno: 0, msg: '验证码已发送，请查阅' });
    const vcode = smtp.lastCode(email);

    const valid = await api.POST('/api/account/validatevacode', { body: { email, vcode } });
    expect(valid.data).toEqual({ errno: 0, msg: '验证码正确' });

    const registered = await api.POST('/api/account/register', {
      body: { email, username: '类型化', password_1: 'secret123', password_2: 'secret123' },
    });
    if (registered.data?.errno !== 0) throw new Error(`register: ${JSON.stringify(registered.data)}`);
    const { uid } = registered.data;
    expect(uid).toBeGreaterThanOrEqual(1_000_000_000);

    // urlencoded, the body form a browser's <form> sends (the document lists it first).
    const loggedIn = await api.POST('/api/account/login', {
      body: { user: email, password: 'secret123' },
      bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(loggedIn.data).toEqual({ errno: 0, msg: '登录成功', uid, username: '类型化' });

    const me = await api.GET('/api/account/me');
    if (me.data?.errno !== 0) throw new Error(`me: ${JSON.stringify(me.data)}`);
    expect(me.data.user).toEqual({
      uid,
      username: '类型化',
      email,
      created_at: expect.any(String),
      video_count: 0,
      bio: '',
      avatar_url: null,
      storage_used: 0,
      storage_quota: null,
      role: 'user',
    });
    expect(Object.keys(me.data.user).sort()).toEqual(propertiesOf('OwnProfile'));

    const profile = await api.GET('/api/users/{uid}', { params: { path: { uid } } });
    if (profile.data?.errno !== 0) throw new Error(`profile: ${JSON.stringify(profile.data)}`);
    expect(Object.keys(profile.data.user).sort()).toEqual(propertiesOf('Profile'));

    expect((await api.GET('/api/account/logout')).data).toEqual({ errno: 0, msg: '注销成功' });
    expect((await api.GET('/api/account/me')).data).toEqual({ errno: 1011, msg: '请先登录' });
  });

  it('runs the video flow: upload, detail, list, the bytes, delete', async () => {
    const api = typedClient();
    const email = randomEmail('typed-video');
    await api.POST('/api/account/sendvcode', { body: { email } });
    await api.POST('/api/account/register', {
      body: { email, vcode: smtp.lastCode(email), username: '上传者', password_1: 'secret123', password_2: 'secret123' },
    });
    const login = await api.POST('/api/account/login', { body: { user: email, password: 'secret123' } });
    if (login.data?.errno !== 0) throw new Error(`login: ${JSON.stringify(login.data)}`);
    const { uid } = login.data;

    const uploaded = await api.POST('/api/videos/video_upload', {
      body: { video: new Blob([new Uint8Array(mp4())], { type: 'video/mp4' }), title: '类型化上传' },
      bodySerializer: (body) => {
        const form = new FormData();
        form.append('title', body.title ?? '');
        form.append('video', body.video, 'clip.mp4');
        return form;
      },
    });
    if (uploaded.data?.errno !== 0) throw new Error(`upload: ${JSON.stringify(uploaded.data)}`);
    const { video } = uploaded.data;
    expect(video).toMatchObject({ uid, title: '类型化上传', mime: 'video/mp4', size: mp4().length });
    // The owner's view: every property of the schema, `failure` included.
    expect(Object.keys(video).sort()).toEqual(propertiesOf('Video'));

    const detail = await api.GET('/api/videos/{id}', { params: { path: { id: video.id } } });
    if (detail.data?.errno !== 0) throw new Error(`detail: ${JSON.stringify(detail.data)}`);
    expect(detail.data.video.id).toBe(video.id);

    const list = await api.GET('/api/videos', { params: { query: { uid, page: 1, page_size: 10 } } });
    if (list.data?.errno !== 0) throw new Error(`list: ${JSON.stringify(list.data)}`);
    expect(list.data).toMatchObject({ total: 1, page: 1, page_size: 10 });
    expect(list.data.videos.map((v) => v.id)).toEqual([video.id]);

    const part = await api.GET('/api/videos/{id}/stream', {
      params: { path: { id: video.id }, header: { Range: 'bytes=0-99' } },
      parseAs: 'arrayBuffer',
    });
    expect(part.response.status).toBe(206);
    expect(part.response.headers.get('content-type')).toBe('video/mp4');
    expect((part.data as ArrayBuffer).byteLength).toBe(100);

    const deleted = await api.DELETE('/api/videos/{id}', { params: { path: { id: video.id } } });
    expect(deleted.data).toEqual({ errno: 0, msg: '删除成功' });
    expect((await api.GET('/api/videos/{id}', { params: { path: { id: video.id } } })).data).toEqual({ errno: 2004, msg: '视频不存在' });
    const gone = await api.GET('/api/videos/{id}/stream', { params: { path: { id: video.id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toEqual({ errno: 2004, msg: '视频不存在' });
  });
});

describe('Swagger UI', () => {
  it('sends sendvcode to the email typed in, never a pre-filled example', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': randomIp() } });
      const page = await context.newPage();
      await page.goto(`${base}/api/docs`);
      const operation = page.locator('#operations-account-AccountController_sendVcode');
      await operation.locator('.opblock-summary').click();
      await operation.getByRole('button', { name: 'Try it out' }).click();
      // The email has one place, the request body: the server's query-string form is not offered
      // next to it (a typed query box lost to the body's pre-filled example, since the body wins).
      expect(await operation.locator('.parameters-container').first().textContent()).toContain('No parameters');
      const field = operation.locator('.opblock-section-request-body input[placeholder="email"]');
      expect(await field.count()).toBe(1);
      const email = randomEmail('swagger');
      await field.fill(email);
      await operation.getByRole('button', { name: 'Execute' }).click();
      await operation.locator('.live-responses-table').waitFor();
      await expect.poll(() => smtp.mailsTo(email).length).toBe(1);
      expect(smtp.mailsTo('alice@example.com')).toHaveLength(0);
    } finally {
      await browser.close();
    }
  });
});
