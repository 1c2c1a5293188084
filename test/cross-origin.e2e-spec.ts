/**
 * Cross-origin request forgery in a real browser (issue #11, points 3 and 6): an attacker's site
 * on another port of the same host (same-site: SameSite=Lax sends the cookie) or on another
 * host name (cross-site) acts on a logged-in visitor of the app. Chromium sets Origin and
 * Sec-Fetch-Site itself; the server must tell the app's own pages from everyone else's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { register, type Account } from './support/accounts.js';
import { mp4 } from './support/fixtures.js';
import { useApp, useSmtp } from './support/e2e.js';
import { startApp, testEnv } from './support/test-app.js';
import { launchChromium } from './support/browser.js';

/** The attacker's site: any path is a small page; the test drives it (page.evaluate runs as that origin). */
class OtherSite {
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>elsewhere</title><p>a page of another site</p>');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The same server as another port of the app's host (same-site) or under another name (cross-site). */
  url(as: 'same-site' | 'cross-site'): string {
    return `http://${as === 'same-site' ? '127.0.0.1' : 'localhost'}:${this.port}/`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const other = new OtherSite();
beforeAll(() => other.start());
afterAll(() => other.stop());

const smtp = useSmtp();
const { t } = useApp({}, smtp);
let browser: Browser;
const contexts: BrowserContext[] = [];
const baseOf = (app: Pick<typeof t, 'app'>) => `http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`;
let base = '';
let victim: Account;
let attacker: Account;

beforeAll(async () => {
  base = baseOf(t);
  browser = await launchChromium();
  victim = await register(t.client(), smtp, '受害者');
  attacker = await register(t.client(), smtp, '攻击者');
});

afterAll(async () => {
  await browser?.close();
});

/** A fresh browser profile (its own cookie jar). */
async function freshPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

interface Answer {
  status: number;
  body: { errno: number; [key: string]: unknown } | null;
}

/** fetch() in the page, with the browser's cookies, as the page's origin; an opaque answer has body null. */
function call(page: Page, url: string, init: { method?: string; form?: Record<string, string>; mode?: RequestMode } = {}): Promise<Answer> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, {
        method: init.method ?? 'GET',
        mode: init.mode ?? 'cors',
        credentials: 'include',
        body: init.form ? new URLSearchParams(init.form) : undefined,
      });
      return { status: response.status, body: response.type === 'opaque' ? null : await response.json() };
    },
    { url, init },
  );
}

/** Uploads the test clip from the page (multipart, a simple request: no preflight), as the page's origin. */
function upload(page: Page, url: string, bytes: number[], mode: RequestMode): Promise<Answer> {
  return page.evaluate(
    async ({ url, bytes, mode }) => {
      const form = new FormData();
      form.append('title', 'planted');
      form.append('video', new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }), 'clip.mp4');
      const response = await fetch(url, { method: 'POST', mode, credentials: 'include', body: form });
      return { status: response.status, body: response.type === 'opaque' ? null : await response.json() };
    },
    { url, bytes, mode },
  );
}

/** Logs the page's browser in from the app's own page (Sec-Fetch-Site: same-origin). */
async function logInOnTheApp(page: Page, account: Account): Promise<void> {
  await page.goto(`${base}/api/health`);
  const answer = await call(page, '/api/account/login', { method: 'POST', form: { user: account.email, password: account.password } });
  expect(answer.body?.errno).toBe(0);
}

/** The status the app's server answered to the next request for `path` (whatever the page may read of it). */
function statusOf(path: string): Promise<number> {
  const server = t.app.getHttpServer();
  return new Promise((resolve) => {
    const listener = (request: IncomingMessage, response: ServerResponse) => {
      // originalUrl: Express rewrites `url` inside mounted middleware.
      const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '/';
      if (new URL(url, 'http://x').pathname !== path) return;
      server.off('request', listener);
      response.once('finish', () => resolve(response.statusCode));
    };
    server.on('request', listener);
  });
}

describe('an attacker’s page in Chromium', () => {
  it('cannot plant a video in a logged-in visitor’s space from another port of the same host', async () => {
    const page = await freshPage();
    await logInOnTheApp(page, victim);
    await page.goto(other.url('same-site'));
    const answered = statusOf('/api/videos/video_upload');
    // CORP (same-origin) keeps the answer from the page either way: what matters is what the server did.
    await upload(page, `${base}/api/videos/video_upload`, [...mp4()], 'no-cors').catch(() => undefined);
    expect(await answered).toBe(403);
    await page.goto(`${base}/api/health`);
    expect((await call(page, '/api/videos')).body).toMatchObject({ errno: 0, total: 0 });
  });

  it('cannot log a browser in as the attacker with a cross-site form (nor a same-site one)', async () => {
    for (const site of ['cross-site', 'same-site'] as const) {
      const page = await freshPage();
      await page.goto(other.url(site));
      const answered = statusOf('/api/account/login');
      // A classic login CSRF: a hidden form that submits itself (a top-level POST navigation).
      await page.evaluate(
        ({ action, user, password }) => {
          const form = Object.assign(document.createElement('form'), { method: 'POST', action });
          for (const [name, value] of Object.entries({ user, password }))
            form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
          document.body.append(form);
          form.submit();
        },
        { action: `${base}/api/account/login`, user: attacker.email, password: attacker.password },
      );
      expect([site, await answered]).toEqual([site, 403]);
      await page.waitForURL(`${base}/api/account/login`);
      expect(JSON.parse((await page.textContent('body')) ?? '')).toMatchObject({ errno: 9001 });
      await page.goto(`${base}/api/health`);
      expect([site, (await call(page, '/api/account/me')).body?.errno]).toEqual([site, 1011]);
    }
  });

  it('cannot log a visitor out with a link', async () => {
    const page = await freshPage();
    await logInOnTheApp(page, victim);
    await page.goto(other.url('cross-site'));
    await page.setContent(`<a id="out" href="${base}/api/account/logout">a harmless-looking link</a>`);
    const answered = statusOf('/api/account/logout');
    await page.click('#out');
    expect(await answered).toBe(403);
    await page.goto(`${base}/api/health`);
    expect((await call(page, '/api/account/me')).body).toMatchObject({ errno: 0, user: { uid: victim.uid } });
  });

  it('leaves the app’s own pages working: log in, upload, list, log out', async () => {
    const page = await freshPage();
    const account = await register(t.client(), smtp, '自己人');
    await logInOnTheApp(page, account);
    const uploaded = await upload(page, '/api/videos/video_upload', [...mp4()], 'same-origin');
    expect(uploaded.body).toMatchObject({ errno: 0, video: { title: 'planted', uid: account.uid } });
    expect((await call(page, '/api/videos')).body).toMatchObject({ errno: 0, total: 1 });
    expect((await call(page, '/api/account/logout')).body).toMatchObject({ errno: 0 });
    expect((await call(page, '/api/account/me')).body?.errno).toBe(1011);
  });
});

describe('a CORS_ORIGIN origin in Chromium', () => {
  it('logs in and uploads through tus with credentials (tus answers its origin, not *)', async () => {
    // The same app with the other site's same-site origin allowed. Started last: passport's strategy
    // is process-wide, and the newest app's serves logins from then on.
    const withCors = await startApp(testEnv({ SMTP_URL: smtp.url, CORS_ORIGIN: `http://127.0.0.1:${other.port}` }));
    onTestFinished(() => withCors.close());
    const app = baseOf(withCors);
    const account = await register(withCors.client(), smtp, '前端');
    const page = await freshPage();
    await page.goto(other.url('same-site'));
    const login = await call(page, `${app}/api/account/login`, {
      method: 'POST',
      form: { user: account.email, password: account.password },
    });
    expect(login.body).toMatchObject({ errno: 0, uid: account.uid });
    const clip = [...mp4()];
    // A tus upload as tus-js-client makes it: creation (preflighted), then the bytes; every answer read.
    const result = await page.evaluate(
      async ({ app, clip }) => {
        const created = await fetch(`${app}/api/videos/tus`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(clip.length), 'Upload-Metadata': `title ${btoa('cors')}` },
        });
        const location = created.headers.get('Location') ?? '';
        const patched = await fetch(new URL(location, `${app}/api/videos/tus/`).href, {
          method: 'PATCH',
          credentials: 'include',
          headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
          body: new Uint8Array(clip),
        });
        return { created: created.status, location, patched: patched.status, body: (await patched.json()) as { errno: number } };
      },
      { app, clip },
    );
    expect(result).toMatchObject({ created: 201, patched: 200, body: { errno: 0, video: { title: 'cors', uid: account.uid } } });
  });
});
