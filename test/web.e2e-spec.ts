import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { User } from '../src/account/user.entity.js';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { mp4, undecodableMp4 } from './support/fixtures.js';
import { hevcMov, mpeg4Avi, type MediaFile } from './support/media.js';
import { useApp } from './support/e2e.js';
import { randomEmail, randomIp } from './support/test-app.js';
import { form, launchChromium, RETRY_RESET } from './support/browser.js';

const SHOTS = join('test-artifacts', 'screens');

const { t, smtp } = useApp();
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;

async function shot(name: string, on = page): Promise<void> {
  await on.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Slows the page's uploads (Chromium's network emulation), so that a test can act in the middle of one; null lifts it. */
async function throttleUploads(bytesPerSecond: number | null): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond ?? -1,
  });
  await cdp.detach();
}

const isTus = (url: string) => new URL(url).pathname.startsWith('/api/videos/tus');

/** The browser's own fetches and answers, for a test that follows a video through processing. */
async function videoOf(on: Page, id: string): Promise<{ status: string; failure?: string | null; playback: unknown }> {
  const reply = await on.request.get(`${base}/api/videos/${id}`, RETRY_RESET);
  return (await reply.json()).video;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  browser = await launchChromium();
  // Its own IP: the per-IP send limit is shared with every other test on Redis.
  context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1100, height: 800 },
    extraHTTPHeaders: { 'X-Forwarded-For': randomIp() },
  });
  page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
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
    writeFileSync(join(files, 'too-big.mp4'), Buffer.concat([mp4(), Buffer.alloc(6 * 1024 * 1024, 6)]));
    writeFileSync(join(files, 'shrunk.mp4'), Buffer.concat([mp4(), Buffer.alloc(25 * 1024 * 1024, 5)]));
    // Over the client's resumable threshold (20 MiB): goes through tus.
    writeFileSync(join(files, 'large.mp4'), Buffer.concat([mp4(), Buffer.alloc(21 * 1024 * 1024, 7)]));
    writeFileSync(join(files, 'cancel-me.mp4'), Buffer.concat([mp4(), Buffer.alloc(22 * 1024 * 1024, 8)]));
    writeFileSync(join(files, 'offline.mp4'), Buffer.concat([mp4(), Buffer.alloc(24 * 1024 * 1024, 9)]));
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

  it('uploads an MP4 with a progress bar, then shows it ready with its cover', async () => {
    await page.setInputFiles('#video-files', join(files, 'clip-2s.mp4'));
    // A finished upload collapses to one line with a link to its video.
    await page.waitForSelector('.upload[data-state="done"]:has-text("clip-2s.mp4") a[href^="/video/"]');
    await page.waitForSelector('.video-card');
    await t.app.get(VideoProcessor).idle();
    await page.waitForSelector('.video-card[data-status="ready"] img', { timeout: 15_000 });
    expect(await page.textContent('#video-count')).toBe('1');
    expect(await page.textContent('.video-card .duration')).toBe('0:02');
    await shot('space');
  });

  it('sends a large file through the resumable (tus) endpoint with the same progress bar', async () => {
    await page.setInputFiles('#video-files', join(files, 'large.mp4'));
    await page.waitForSelector('.upload[data-state="done"]:has-text("large.mp4") a[href^="/video/"]', { timeout: 30_000 });
    await page.waitForSelector('.video-card:has-text("large")');
    expect(await page.textContent('#video-count')).toBe('2');
    // Back to one video, for the steps below.
    const id = await page.getAttribute('.video-card:has-text("large")', 'data-id');
    expect((await page.request.delete(`${base}/api/videos/${id}`, RETRY_RESET)).ok()).toBe(true);
    await page.reload();
    await page.waitForSelector('.video-card');
    expect(await page.textContent('#video-count')).toBe('1');
  });

  it('shows a text file as refused with 不支持的视频格式, never as a full bar', async () => {
    await page.setInputFiles('#video-files', join(files, 'notes.mp4'));
    const row = await page.waitForSelector('.upload[data-state="refused"]:has-text("不支持的视频格式")');
    expect(await row.$('progress')).toBeNull();
    expect(await row.$('.percent')).toBeNull();
    await shot('upload-refused');
  });

  it('shows 存储空间不足 for a file over the free storage, refused while Chromium is still sending it', async () => {
    const users = t.app.get(DataSource).getRepository(User);
    await users.update({ uid: Number(uid) }, { storageQuota: 1 });
    // Slowed, so that the answer (from Content-Length, before the body) comes mid-upload.
    await throttleUploads(1024 * 1024);
    try {
      await page.setInputFiles('#video-files', join(files, 'too-big.mp4'));
      await page.waitForSelector('.upload[data-state="refused"]:has-text("存储空间不足")');
    } finally {
      await throttleUploads(null);
      await users.update({ uid: Number(uid) }, { storageQuota: null });
    }
  });

  it('shows 存储空间不足 when the storage shrinks during a large (tus) upload', async () => {
    const users = t.app.get(DataSource).getRepository(User);
    await throttleUploads(4 * 1024 * 1024);
    try {
      const sending = page.waitForRequest((r) => r.method() === 'PATCH' && isTus(r.url()));
      await page.setInputFiles('#video-files', join(files, 'shrunk.mp4'));
      await sending;
      await users.update({ uid: Number(uid) }, { storageQuota: 1 });
      await page.waitForSelector('.upload[data-state="refused"]:has-text("shrunk.mp4"):has-text("存储空间不足")');
    } finally {
      await throttleUploads(null);
      await users.update({ uid: Number(uid) }, { storageQuota: null });
    }
  });

  it('cancels a large (tus) upload: the row ends cancelled and the partial upload is deleted', async () => {
    await throttleUploads(2 * 1024 * 1024);
    const sending = page.waitForRequest((r) => r.method() === 'PATCH' && isTus(r.url()));
    const terminated = page.waitForRequest((r) => r.method() === 'DELETE' && isTus(r.url()));
    await page.setInputFiles('#video-files', join(files, 'cancel-me.mp4'));
    await sending;
    await page.click('.upload[data-state="sending"]:has-text("cancel-me.mp4") button');
    await page.waitForSelector('.upload[data-state="cancelled"]:has-text("cancel-me.mp4")');
    const deleted = await (await terminated).response();
    expect(deleted?.status()).toBe(204);
    await throttleUploads(null);
    // Stays cancelled (tus-js-client reports nothing after abort) and no video appears.
    await page.waitForTimeout(500);
    expect(await page.getAttribute('.upload:has-text("cancel-me.mp4")', 'data-state')).toBe('cancelled');
    expect(await page.textContent('#video-count')).toBe('1');
  });

  it('pauses a tus upload while offline and resumes it by itself, from the server offset, when back online', async () => {
    const created: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'POST' && isTus(r.url())) created.push(r.url());
    };
    page.on('request', onRequest);
    await throttleUploads(3 * 1024 * 1024);
    const sending = page.waitForRequest((r) => r.method() === 'PATCH' && isTus(r.url()));
    await page.setInputFiles('#video-files', join(files, 'offline.mp4'));
    await sending;
    await page.waitForSelector('.upload[data-state="sending"]:has-text("offline.mp4") .percent:not([data-percent="0"])');
    await context.setOffline(true);
    await page.waitForSelector('.upload[data-state="waiting"]:has-text("offline.mp4")');
    await shot('upload-waiting');
    // Back online: asks the server where it stands (HEAD) and goes on with PATCH, without a new upload.
    const resumed = page.waitForRequest((r) => r.method() === 'HEAD' && isTus(r.url()));
    await context.setOffline(false);
    await resumed;
    await page.waitForSelector('.upload[data-state="done"]:has-text("offline.mp4")', { timeout: 60_000 });
    page.off('request', onRequest);
    await throttleUploads(null);
    expect(created).toHaveLength(1);
    await page.waitForSelector('.video-card:has-text("offline")');
    expect(await page.textContent('#video-count')).toBe('2');
    const id = await page.getAttribute('.video-card:has-text("offline")', 'data-id');
    expect((await page.request.delete(`${base}/api/videos/${id}`, RETRY_RESET)).ok()).toBe(true);
    await page.reload();
    await page.waitForSelector('.video-card');
    expect(await page.textContent('#video-count')).toBe('1');
  });

  it('says the network is down when a multipart upload fails offline', async () => {
    await context.setOffline(true);
    try {
      await page.setInputFiles('#video-files', join(files, 'clip-2s.mp4'));
      await page.waitForSelector('.upload[data-state="error"]:has-text("网络已断开")');
    } finally {
      await context.setOffline(false);
    }
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

describe('renditions of what browsers cannot play as uploaded, in Chromium', () => {
  let viewer: BrowserContext;
  let watch: Page;

  beforeAll(async () => {
    viewer = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1100, height: 800 },
      extraHTTPHeaders: { 'X-Forwarded-For': randomIp() },
    });
    watch = await viewer.newPage();
    const email = randomEmail('web-codecs');
    expect((await (await viewer.request.post(`${base}/api/account/sendvcode`, form({ email }))).json()).errno).toBe(0);
    const vcode = smtp.lastCode(email);
    const password = 'secret123';
    const registered = await viewer.request.post(
      `${base}/api/account/register`,
      form({ email, vcode, username: '编解码', password_1: password, password_2: password }),
    );
    expect((await registered.json()).errno).toBe(0);
    expect((await (await viewer.request.post(`${base}/api/account/login`, form({ user: email, password }))).json()).errno).toBe(0);
  });

  afterAll(async () => {
    await viewer?.close();
  });

  const cases: [string, () => MediaFile][] = [
    ['HEVC in QuickTime (.mov)', hevcMov],
    ['MPEG-4 Part 2 in AVI (.avi)', mpeg4Avi],
  ];

  it.each(cases)(
    'plays %s after processing: frames decode and a seek lands',
    async (_name, make) => {
      const file = make();
      await watch.goto(`${base}/`);
      await watch.waitForURL(/\/space\/\d{10}$/);
      await watch.setInputFiles('#video-files', file.path);
      const link = await watch.waitForSelector(`.upload[data-state="done"]:has-text("${file.filename}") a[href^="/video/"]`, {
        timeout: 30_000,
      });
      const id = (await link.getAttribute('href'))!.split('/').pop()!;

      // The card follows processing; the API says when it is done.
      let video = await videoOf(watch, id);
      for (const until = Date.now() + 150_000; video.status === 'processing' && Date.now() < until;) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        video = await videoOf(watch, id);
      }
      expect({ status: video.status, failure: video.failure }).toEqual({ status: 'ready', failure: null });
      expect(video.playback).not.toBeNull();

      await watch.goto(`${base}/video/${id}`);
      await watch.waitForSelector('#player');
      const played = await watch.$eval('#player', async (element: HTMLVideoElement) => {
        const within = <T>(what: string, promise: Promise<T>) =>
          Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within 20 s`)), 20_000))]);
        if (element.readyState < 2)
          await within('loadeddata', new Promise((resolve) => element.addEventListener('loadeddata', resolve, { once: true })));
        element.muted = true;
        await within('play', element.play());
        // The callback's own count: getVideoPlaybackQuality() is updated later and may still read 0.
        const frames = await within(
          'frame',
          new Promise<number>((resolve) => element.requestVideoFrameCallback((_now, frame) => resolve(frame.presentedFrames))),
        );
        element.pause();
        return {
          readyState: element.readyState,
          width: element.videoWidth,
          frames,
          duration: element.duration,
          source: element.currentSrc,
        };
      });
      expect(played.readyState).toBeGreaterThanOrEqual(2);
      expect(played.width).toBeGreaterThan(0);
      expect(played.frames).toBeGreaterThan(0);
      // Through hls.js (Media Source Extensions), not the MP4 fallback.
      expect(played.source).toMatch(/^blob:/);

      const target = Math.min(2, played.duration - 0.5);
      const landed = await watch.$eval(
        '#player',
        (element: HTMLVideoElement, at: number) =>
          new Promise<number>((resolve, reject) => {
            setTimeout(() => reject(new Error('no seeked within 20 s')), 20_000);
            element.addEventListener('seeked', () => resolve(element.currentTime), { once: true });
            element.currentTime = at;
          }),
        target,
      );
      expect(Math.abs(landed - target)).toBeLessThan(0.5);
      await shot(`video-${file.filename.replace(/\W+/g, '-')}`, watch);
    },
    180_000,
  );

  it('shows a failed video with its reason and, to its owner, 重新处理 instead of a dead player', async () => {
    const dir = join(tmpdir(), `ps-web-failed-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'broken.mp4');
    writeFileSync(file, undecodableMp4());
    await watch.goto(`${base}/`);
    await watch.waitForURL(/\/space\/\d{10}$/);
    await watch.setInputFiles('#video-files', file);
    const link = await watch.waitForSelector('.upload[data-state="done"]:has-text("broken.mp4") a[href^="/video/"]', { timeout: 30_000 });
    const id = (await link.getAttribute('href'))!.split('/').pop()!;
    await watch.waitForSelector(`.video-card[data-id="${id}"][data-status="failed"] .failure`, { timeout: 60_000 });
    const { failure } = await videoOf(watch, id);
    expect(failure).toBe('the file could not be read as a video');

    // The reason in the page's language.
    await watch.click(`.video-card[data-id="${id}"]`);
    await watch.waitForSelector('#video-failed #failure:has-text("无法把这个文件读作视频")');
    expect(await watch.$('#player')).toBeNull();
    await watch.setViewportSize({ width: 390, height: 780 });
    await shot('video-failed-phone', watch);
    await watch.setViewportSize({ width: 1100, height: 800 });
    // Nothing in it decodes: processing it again is refused with 2008, shown on the page.
    await watch.click('#reprocess');
    await watch.waitForSelector('.watch .error[role="alert"]');
    expect(await watch.textContent('.watch .error[role="alert"]')).toBe('视频处理失败');
  });
});
