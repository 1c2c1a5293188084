import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { VideoProcessor } from '../src/videos/probe/video-processor.js';
import { mp4 } from './support/fixtures.js';
import { SmtpCapture } from './support/smtp-capture.js';
import { randomEmail, randomIp, startApp, testEnv, type TestApp } from './support/test-app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join('test-artifacts', 'screens');

let smtp: SmtpCapture;
let t: TestApp;
let browser: Browser;
let page: Page;
let base: string;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  smtp = await new SmtpCapture().start();
  t = await startApp(testEnv({ SMTP_URL: smtp.url }));
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  // Its own IP: the per-IP send limit is shared with every other test on Redis.
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1100, height: 800 },
    extraHTTPHeaders: { 'X-Forwarded-For': randomIp() },
  });
  page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.stop();
});

describe('the web client in Chromium', () => {
  const email = randomEmail('web');
  const password = 'secret123';
  let uid = '';
  const files = join(tmpdir(), `ps-web-${process.pid}`);

  beforeAll(() => {
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, 'clip-2s.mp4'), mp4());
    writeFileSync(join(files, 'notes.mp4'), 'these are notes, not a video\n'.repeat(50));
    // Over the client's resumable threshold (20 MiB): goes through tus.
    writeFileSync(join(files, 'large.mp4'), Buffer.concat([mp4(), Buffer.alloc(21 * 1024 * 1024, 7)]));
  });

  it('is served at / with caching headers for its assets', async () => {
    const index = await fetch(`${base}/`);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = (await index.text()).match(/\/assets\/[^"]+\.js/)![0];
    expect((await fetch(`${base}${asset}`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/space/123`, { headers: { Accept: 'text/html' } })).status).toBe(200);
    expect((await fetch(`${base}/api/nope`)).status).toBe(404);
  });

  it('registers with the mailed code, showing 验证码错误 for a wrong one', async () => {
    await page.goto(`${base}/`);
    await page.click('#nav-register');
    await page.fill('#email', email);
    await page.click('#send-code');
    await page.waitForSelector('text=秒后重发');
    const code = smtp.lastCode(email);
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.fill('#username', '浏览器用户');
    await page.fill('#password1', password);
    await page.fill('#password2', password);
    await page.click('#register-submit');
    await page.waitForSelector('#code-error:has-text("验证码错误")');
    await shot('register-wrong-code');
    await page.fill('#code', code);
    await page.click('#register-submit');
    await page.waitForURL(/\/space\/\d{10}$/);
    uid = page.url().split('/').pop()!;
    await page.waitForSelector('#profile-name:has-text("浏览器用户")');
    expect(await page.textContent('#nav-user')).toBe('浏览器用户');
  });

  it('keeps the session across a reload', async () => {
    await page.reload();
    await page.waitForSelector('#nav-user');
    expect(await page.textContent('#profile-uid')).toBe(uid);
  });

  it('uploads an MP4 with a progress bar reaching 100%, then shows it ready with its cover', async () => {
    await page.setInputFiles('#video-files', join(files, 'clip-2s.mp4'));
    await page.waitForSelector('.upload[data-state="done"] .percent[data-percent="100"]');
    await page.waitForSelector('.video-card');
    await t.app.get(VideoProcessor).idle();
    await page.waitForSelector('.video-card[data-status="ready"] img', { timeout: 15_000 });
    expect(await page.textContent('#video-count')).toBe('1');
    expect(await page.textContent('.video-card .duration')).toBe('0:02');
    await shot('space');
  });

  it('sends a large file through the resumable (tus) endpoint with the same progress bar', async () => {
    await page.setInputFiles('#video-files', join(files, 'large.mp4'));
    await page.waitForSelector('.upload[data-state="done"]:has-text("large.mp4") .percent[data-percent="100"]', { timeout: 30_000 });
    await page.waitForSelector('.video-card:has-text("large")');
    expect(await page.textContent('#video-count')).toBe('2');
    // Back to one video, for the steps below.
    const id = await page.getAttribute('.video-card:has-text("large")', 'data-id');
    expect((await page.request.delete(`${base}/api/videos/${id}`)).ok()).toBe(true);
    await page.reload();
    await page.waitForSelector('.video-card');
    expect(await page.textContent('#video-count')).toBe('1');
  });

  it('shows 不支持的视频格式 for a text file', async () => {
    await page.setInputFiles('#video-files', join(files, 'notes.mp4'));
    await page.waitForSelector('.upload[data-state="error"]:has-text("不支持的视频格式")');
    await shot('upload-refused');
  });

  it('plays the video: the player knows its duration and seeks to 1 s', async () => {
    await page.click('.video-card');
    await page.waitForURL(/\/video\/[0-9a-f]{20}$/);
    await page.waitForSelector('#player');
    const duration = await page.$eval('#player', (video: HTMLVideoElement) =>
      video.readyState >= 1
        ? video.duration
        : new Promise<number>((resolve) => video.addEventListener('loadedmetadata', () => resolve(video.duration))),
    );
    expect(duration).toBeCloseTo(2, 0);
    const position = await page.$eval(
      '#player',
      (video: HTMLVideoElement) =>
        new Promise<number>((resolve) => {
          video.addEventListener('seeked', () => resolve(video.currentTime), { once: true });
          video.currentTime = 1;
        }),
    );
    expect(position).toBeCloseTo(1, 0);
    await shot('video');
  });

  it('deletes the video after a confirmation', async () => {
    await page.click('#delete-video');
    await page.waitForURL(new RegExp(`/space/${uid}$`));
    await page.waitForSelector('.empty');
    expect(await page.textContent('#video-count')).toBe('0');
  });

  it("shows another person's space by uid, on a phone-sized screen", async () => {
    await page.setViewportSize({ width: 390, height: 780 });
    await page.goto(`${base}/space/${uid}`);
    await page.waitForSelector('#profile-name');
    await shot('space-phone');
    await page.setViewportSize({ width: 1100, height: 800 });
  });

  it('logs out and logs in again with the uid', async () => {
    await page.click('#logout');
    await page.waitForURL(/\/login$/);
    await shot('login');
    await page.fill('#user', uid);
    await page.fill('#password', 'wrong-password-1');
    await page.click('#login-submit');
    await page.waitForSelector('#password-error:has-text("密码错误")');
    await page.fill('#password', password);
    await page.click('#login-submit');
    await page.waitForURL(new RegExp(`/space/${uid}$`));
    await page.click('#logout');
    await page.waitForSelector('#nav-login');
  });
});
