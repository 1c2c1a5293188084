import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { mp4 } from './support/fixtures.js';
import { ViewCounter } from '../src/videos/views/view-counter.js';
import { useApp } from './support/e2e.js';
import { randomEmail, randomIp } from './support/test-app.js';
import { form, launchChromium, RETRY_RESET } from './support/browser.js';

const SHOTS = join('test-artifacts', 'screens');
const PASSWORD = 'secret123';
const DESKTOP = { width: 1100, height: 800 };
const PHONE = { width: 390, height: 780 };

const { t, smtp } = useApp();
let browser: Browser;
let base: string;
const files = join(tmpdir(), `ps-web-videos-${process.pid}`);
const contexts: BrowserContext[] = [];
/** Endpoints that answered 9404 during the run, for the log. */

async function openContext(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP, extraHTTPHeaders: { 'X-Forwarded-For': randomIp() } });
  contexts.push(context);
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page };
}

/** Desktop, phone, and both again in the dark theme. */
async function shots(page: Page, name: string): Promise<void> {
  // A sticky header lands mid-picture in a full-page shot taken scrolled down.
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const suffix = scheme === 'dark' ? '-dark' : '';
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(SHOTS, `videos-${name}-desktop${suffix}.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, `videos-${name}-phone${suffix}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(DESKTOP);
}

async function signUp(context: BrowserContext, email: string, username: string): Promise<string> {
  expect((await (await context.request.post(`${base}/api/account/sendvcode`, form({ email }))).json()).errno).toBe(0);
  const code = smtp.lastCode(email);
  const reply = await context.request.post(
    `${base}/api/account/register`,
    form({ email, vcode: code, username, password_1: PASSWORD, password_2: PASSWORD }),
  );
  const registered = await reply.json();
  expect(registered.errno).toBe(0);
  expect((await (await context.request.post(`${base}/api/account/login`, form({ user: email, password: PASSWORD }))).json()).errno).toBe(0);
  return String(registered.uid);
}

interface ApiVideo {
  id: string;
  title: string;
  description: string;
  visibility: string;
  status: string;
  cover_url: string | null;
  views?: number;
}

/** What the player's play button does (muted: no user gesture here); its outcome is read after. */
async function pressPlay(page: Page): Promise<void> {
  await page.$eval('#player', (video: HTMLVideoElement) => {
    video.muted = true;
    void video.play().catch(() => undefined);
  });
}

/** Until the player plays: not paused, and its time has moved. A timeout says what the element was doing. */
async function playing(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#player');
      return video !== null && !video.paused && video.currentTime > 0;
    });
  } catch (error) {
    const state = await page
      .$eval('#player', (video: HTMLVideoElement) => ({
        src: video.currentSrc,
        paused: video.paused,
        time: video.currentTime,
        readyState: video.readyState,
        networkState: video.networkState,
        error: video.error?.code ?? null,
      }))
      .catch(() => 'no #player');
    throw new Error(`the player did not play: ${JSON.stringify(state)}`, { cause: error });
  }
}

async function videoOf(context: BrowserContext, id: string): Promise<ApiVideo> {
  const reply = await (await context.request.get(`${base}/api/videos/${id}`, RETRY_RESET)).json();
  expect(reply.errno).toBe(0);
  return reply.video as ApiVideo;
}

/** errno of a call made through the browser's request context. */
async function errnoOf(answer: Promise<{ json(): Promise<unknown> }>): Promise<number> {
  return ((await (await answer).json()) as { errno: number }).errno;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(files, { recursive: true });
  writeFileSync(join(files, '海边的傍晚.mp4'), mp4());
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=orange:s=640x360', '-frames:v', '1', join(files, 'cover.png')]);
  writeFileSync(join(files, 'fake.png'), 'plain text, not a picture\n'.repeat(20));
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
});

describe('publishing, privacy, editing and views in Chromium', () => {
  let owner: { context: BrowserContext; page: Page };
  let visitor: { context: BrowserContext; page: Page };
  let uid = '';
  let id = '';

  beforeAll(async () => {
    owner = await openContext();
    visitor = await openContext();
    uid = await signUp(owner.context, randomEmail('web-videos'), '海边的人');
  });

  it('publishes a private video with a title and description through the form, filled while it uploads', async () => {
    const { page, context } = owner;
    await page.goto(`${base}/space/${uid}`);
    await page.waitForSelector('#empty-list:has-text("还没有视频")');
    // Slow enough that the form is filled while the bytes go, even on a loaded machine (the speed
    // comes back once it is filled).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 });
    await page.setInputFiles('#video-files', join(files, '海边的傍晚.mp4'));
    const row = page.locator('.upload:has-text("海边的傍晚.mp4")');
    // The title starts as the file name without its extension.
    expect(await row.locator('.video-title-input').inputValue()).toBe('海边的傍晚');
    await row.locator('.video-title-input').fill('海边的傍晚 · 私人');
    await row.locator('.video-description-input').fill('只给自己看的一段。\n第二行');
    await row.locator('input[type="radio"][value="private"]').check();
    await shots(page, 'upload-form');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
    const link = await page.waitForSelector('.upload[data-state="done"]:has-text("海边的傍晚.mp4") a[href^="/video/"]');
    id = (await link.getAttribute('href'))!.split('/').pop()!;
    // Whatever was changed after the upload started is saved when it ends.
    await expect
      .poll(() => videoOf(context, id).then((v) => [v.title, v.description, v.visibility]))
      .toEqual(['海边的傍晚 · 私人', '只给自己看的一段。\n第二行', 'private']);
    await page.waitForSelector(`.video-card[data-id="${id}"] .badge:has-text("仅自己可见")`);
    await t.app.get(VideoProcessor).idle();
    await page.waitForSelector(`.video-card[data-id="${id}"][data-status="ready"] img`, { timeout: 30_000 });
  });

  it('hides the private video from a logged-out browser: not listed, and its page says 视频不存在', async () => {
    const { page } = visitor;
    await page.goto(`${base}/space/${uid}`);
    await page.waitForSelector('#empty-list');
    expect(await page.$(`.video-card[data-id="${id}"]`)).toBeNull();
    expect(await page.textContent('#video-count')).toBe('0');
    await page.goto(`${base}/video/${id}`);
    await page.waitForSelector('#video-error:has-text("视频不存在")');
    expect(await page.evaluate(() => document.title)).toBe('视频不存在 · 个人空间');
  });

  it('edits it to public on its page; the logged-out browser then sees it with its title', async () => {
    const { page, context } = owner;
    await page.goto(`${base}/video/${id}`);
    await page.waitForSelector('#video-title:has-text("海边的傍晚 · 私人")');
    expect(await page.textContent('#video-description')).toBe('只给自己看的一段。\n第二行');
    expect(await page.textContent('#video-uploader')).toContain('海边的人');
    await page.click('#edit-video');
    await page.check('#edit-panel input[type="radio"][value="public"]');
    await page.fill('#edit-title', '海边的傍晚');
    await shots(page, 'edit-panel');
    await page.click('#edit-save');
    await page.waitForSelector('#edit-panel', { state: 'detached' });
    await page.waitForSelector('#video-title:has-text("海边的傍晚")');
    expect((await videoOf(context, id)).visibility).toBe('public');

    await visitor.page.goto(`${base}/space/${uid}`);
    await visitor.page.waitForSelector(`.video-card[data-id="${id}"]:has-text("海边的傍晚")`);
    // A visitor sees no visibility badge.
    expect(await visitor.page.$(`.video-card[data-id="${id}"] .badge`)).toBeNull();
    await visitor.page.click(`.video-card[data-id="${id}"]`);
    await visitor.page.waitForSelector('#video-title:has-text("海边的傍晚")');
    expect(await visitor.page.$('#edit-video')).toBeNull();
  });

  it('counts a view when playback starts, not when the page loads', async () => {
    const { page, context } = visitor;
    await page.goto(`${base}/video/${id}`);
    await page.waitForSelector('#player');
    // The source in place (hls.js attaches it once its chunk has loaded), so that this play() starts
    // at once; pressing earlier is the last tests' subject.
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#player')?.readyState ?? 0) >= 1);
    const before = (await videoOf(context, id)).views;
    const counted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/videos/${id}/view`));
    await page.$eval('#player', (video: HTMLVideoElement) => {
      video.muted = true;
      return video.play();
    });
    const answer = (await (await counted).json()) as { errno: number; views?: number };
    expect(answer.errno).toBe(0);
    expect(before).toBe(0);
    expect(answer.views).toBe(1);
    await page.waitForSelector('#video-views[data-views="1"]:has-text("1 次播放")');
    await shots(page, 'video-visitor');
  });

  it('separates the facts under the title with dots between them, never one starting a line', async () => {
    const { page } = visitor;
    await page.goto(`${base}/video/${id}`);
    await page.waitForSelector('#video-date');
    // Narrow enough that the facts wrap.
    await page.setViewportSize({ width: 300, height: 700 });
    const facts = await page.$$eval('.video-meta span', (spans) => {
      const clip = spans[0].closest('.video-meta-clip')!.getBoundingClientRect();
      return spans.map((span) => {
        const box = span.getBoundingClientRect();
        // A separator leads its fact: shown when the fact (and so the dot) starts inside the clip.
        const dotted = getComputedStyle(span, '::before').content !== 'none';
        return { top: Math.round(box.top), separatorShown: dotted && box.left >= clip.left - 0.5 };
      });
    });
    await page.setViewportSize(DESKTOP);
    const lineStarts = facts.map((fact, index) => index === 0 || fact.top !== facts[index - 1].top);
    expect(lineStarts.filter(Boolean).length).toBeGreaterThan(1);
    expect(facts.map((fact) => fact.separatorShown)).toEqual(lineStarts.map((start) => !start));
  });

  it('asks before uploading the same file again, with a link to the video it already has', async () => {
    const { page, context } = owner;
    const sha256 = createHash('sha256').update(mp4()).digest('hex');
    expect(await errnoOf(context.request.get(`${base}/api/videos/duplicates?sha256=${sha256}`, RETRY_RESET))).toBe(0);
    await page.goto(`${base}/space/${uid}`);
    await page.waitForSelector(`.video-card[data-id="${id}"]`);
    await page.setInputFiles('#video-files', join(files, '海边的傍晚.mp4'));
    const row = page.locator('.upload[data-state="duplicate"]:has-text("海边的傍晚.mp4")');
    await row.locator(`a[href="/video/${id}"]:has-text("海边的傍晚")`).waitFor();
    await shots(page, 'duplicate');
    await row.locator('.skip-duplicate').click();
    await page.waitForSelector('.upload[data-state="skipped"]:has-text("海边的傍晚.mp4")');
    expect(await page.textContent('#video-count')).toBe('1');
  });

  it('sorts and searches the space', async () => {
    const { page, context } = owner;
    for (const title of ['香蕉日记', '苹果旅行']) {
      const upload = await context.request.post(`${base}/api/videos/video_upload`, {
        ...RETRY_RESET,
        multipart: {
          title,
          visibility: title === '苹果旅行' ? 'unlisted' : 'public',
          // Other bytes: not a duplicate.
          video: { name: `${title}.mp4`, mimeType: 'video/mp4', buffer: Buffer.concat([mp4(), Buffer.from(title)]) },
        },
      });
      expect((await upload.json()).errno).toBe(0);
    }
    await t.app.get(VideoProcessor).idle();
    await page.goto(`${base}/space/${uid}`);
    const titles = () => page.$$eval('#video-grid .video-card .title', (cards) => cards.map((card) => card.textContent));
    await page.waitForSelector('#video-grid .video-card:nth-child(3)');
    expect(await titles()).toEqual(['苹果旅行', '香蕉日记', '海边的傍晚']);
    await page.waitForSelector('.video-card:has-text("苹果旅行") .badge:has-text("不公开列出")');
    await shots(page, 'space-owner');

    const oldest = await (await context.request.get(`${base}/api/videos?uid=${uid}&sort=old`, RETRY_RESET)).json();
    expect(oldest.videos[0]?.title).toBe('海边的傍晚');
    await page.click('#sort-old');
    await expect.poll(titles).toEqual(['海边的傍晚', '香蕉日记', '苹果旅行']);
    // The view counted earlier reaches the database with the next flush (VIEWS_FLUSH_MS): now.
    await t.app.get(ViewCounter).flush();
    await page.click('#sort-views');
    await expect.poll(() => titles().then((list) => list[0])).toBe('海边的傍晚');
    await page.click('#sort-new');
    await page.fill('#video-search', '香蕉');
    await page.click('#video-search-submit');
    await expect.poll(titles).toEqual(['香蕉日记']);
    await page.fill('#video-search', '没有这个');
    await page.press('#video-search', 'Enter');
    await page.waitForSelector('#empty-list:has-text("没有标题包含「没有这个」的视频")');
    await page.fill('#video-search', '');
    await expect.poll(titles).toEqual(['苹果旅行', '香蕉日记', '海边的傍晚']);

    // A visitor: the public ones only, and no unlisted one.
    await visitor.page.goto(`${base}/space/${uid}`);
    await visitor.page.waitForSelector('#video-grid .video-card:nth-child(2)');
    expect(await visitor.page.$$eval('#video-grid .video-card .title', (cards) => cards.map((card) => card.textContent))).toEqual([
      '香蕉日记',
      '海边的傍晚',
    ]);
    await shots(visitor.page, 'space-visitor');
  });

  it('sets the cover from a frame of the strip, and from an uploaded picture (3001 for one that is not)', async () => {
    const { page, context } = owner;
    await page.goto(`${base}/video/${id}`);
    await page.click('#edit-cover');
    // The strip is drawn in the browser from the MP4 rendition.
    await page.waitForFunction(() => document.querySelectorAll('#cover-panel .frame img').length === 6, undefined, { timeout: 20_000 });
    const frames = await page.$$eval('#cover-panel .frame img', (images: HTMLImageElement[]) => images.map((img) => img.naturalWidth));
    expect(frames.every((width) => width > 0)).toBe(true);
    await page.click('#cover-panel .frame:nth-child(4)');
    expect(await page.getAttribute('#cover-panel .frame:nth-child(4)', 'aria-pressed')).toBe('true');
    expect(await page.inputValue('#cover-at')).toBe(await page.getAttribute('#cover-panel .frame:nth-child(4)', 'data-at'));
    await shots(page, 'cover-panel');

    const before = (await videoOf(context, id)).cover_url;
    const chosen = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/videos/${id}/cover`));
    await page.click('#use-frame');
    expect((await (await chosen).json()).errno).toBe(0);
    await page.waitForSelector('#cover-ok:has-text("封面已更新")');
    const fromFrame = (await videoOf(context, id)).cover_url;
    expect(fromFrame).not.toBe(before);
    expect(await page.getAttribute('#cover-now', 'src')).toBe(fromFrame);

    await page.setInputFiles('#cover-file', join(files, 'cover.png'));
    await page.waitForFunction((old) => document.querySelector('#cover-now')?.getAttribute('src') !== old, fromFrame);
    expect((await videoOf(context, id)).cover_url).not.toBe(fromFrame);
    await page.setInputFiles('#cover-file', join(files, 'fake.png'));
    await page.waitForSelector('#cover-error:has-text("不支持的图片格式")');
  });

  /**
   * A visitor's page where play is pressed the moment hls.js asks MediaSource which codecs it takes,
   * right before it attaches: whether the element's empty source was settled by then is up to the
   * browser (the case that lost a press at random).
   */
  async function pressedAtAttach(): Promise<Page> {
    const page = await visitor.context.newPage();
    await page.addInitScript(() => {
      const isTypeSupported = MediaSource.isTypeSupported.bind(MediaSource);
      let pressed = false;
      MediaSource.isTypeSupported = (type: string) => {
        const video = document.querySelector<HTMLVideoElement>('#player');
        if (!pressed && video) {
          pressed = true;
          video.muted = true;
          void video.play().catch(() => undefined);
        }
        return isTypeSupported(type);
      };
    });
    return page;
  }

  it('plays when play is pressed before hls.js has given the player its source', async () => {
    const { page } = visitor;
    // The player's chunk is held back until play has been pressed (routing also bypasses the cache).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const chunk = '**/assets/hls-*.js';
    await page.route(chunk, async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.goto(`${base}/video/${id}`);
      await page.waitForSelector('#player');
      expect(await page.$eval('#player', (video: HTMLVideoElement) => video.currentSrc)).toBe('');
      await pressPlay(page);
      release();
      await playing(page);
    } finally {
      release();
      await page.unroute(chunk);
    }
  });

  it('plays when play is pressed just before hls.js attaches (the attach pauses the element silently)', async () => {
    const page = await pressedAtAttach();
    try {
      await page.goto(`${base}/video/${id}`);
      await playing(page);
    } finally {
      await page.close();
    }
  });

  it('plays the MP4 rendition when play was pressed just before hls.js attached and HLS fails', async () => {
    const page = await pressedAtAttach();
    await page.route('**/*.m3u8', (route) => route.abort());
    try {
      await page.goto(`${base}/video/${id}`);
      await playing(page);
      expect(await page.$eval('#player', (video: HTMLVideoElement) => video.currentSrc)).toMatch(/\.mp4$/);
    } finally {
      await page.close();
    }
  });

  it('keeps playing when HLS fails and the player falls back to the MP4 rendition', async () => {
    const { page } = visitor;
    const playlists = '**/*.m3u8';
    await page.route(playlists, (route) => route.abort());
    try {
      await page.goto(`${base}/video/${id}`);
      await page.waitForSelector('#player');
      await pressPlay(page);
      await playing(page);
      expect(await page.$eval('#player', (video: HTMLVideoElement) => video.currentSrc)).toMatch(/\.mp4$/);
    } finally {
      await page.unroute(playlists);
    }
  });
});
