import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type TestAgent from 'supertest/lib/agent.js';
import { MediaTools } from '../src/videos/processing/media-tools.js';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { login, register, type Account } from './support/accounts.js';
import { undecodableMp4 } from './support/fixtures.js';
import {
  dashBehindMp4Head,
  dashManifest,
  decodesCleanly,
  dynamicDash,
  ffconcatFile,
  hlsBehindMp4Head,
  hlsPlaylist,
  hugeFrameMov,
  moovBeforeMdat,
  probeSummary,
  realWorld,
  webSafe720,
  webSafeMp4,
  type MediaFile,
} from './support/media.js';
import { useApp } from './support/e2e.js';
import { launchChromium } from './support/browser.js';

const { t, smtp } = useApp();
let owner: TestAgent;
let account: Account;
const downloads = mkdtempSync(join(tmpdir(), 'ps-playback-'));
/** The real-world uploads once processed, for the browser to play. */
const processed: { name: string; video: { id: string; width: number; height: number; playback: { hls_url: string; mp4_url: string } } }[] =
  [];

beforeAll(async () => {
  account = await register(t.client(), smtp, 'player');
  owner = t.client();
  await login(owner, account);
});

async function uploadAndSettle(file: MediaFile) {
  const res = await owner.post('/api/videos/video_upload').attach('video', file.buffer(), file.filename);
  expect(res.body.errno).toBe(0);
  await t.app.get(VideoProcessor).idle();
  return (await owner.get(`/api/videos/${res.body.video.id}`)).body.video;
}

/** Downloads a URL of the API to a file under `dir`, returning its path. */
async function download(url: string, path: string): Promise<string> {
  const res = await owner
    .get(url)
    .buffer(true)
    .parse((response, callback) => binary(response as unknown as NodeJS.ReadableStream, callback));
  expect(res.status).toBe(200);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, res.body as Buffer);
  return path;
}

function binary(res: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The master playlist and every rung's playlist, init and segments, mirrored on disk; the rung playlists' paths. */
async function mirrorHls(masterUrl: string, dir: string): Promise<{ rungs: string[]; master: string }> {
  const base = masterUrl.slice(0, masterUrl.lastIndexOf('/') + 1);
  const master = (await owner.get(masterUrl)).text;
  const rungs: string[] = [];
  for (const uri of master.split('\n').filter((line) => line && !line.startsWith('#'))) {
    const playlist = await download(base + uri, join(dir, uri));
    const rungBase = base + uri.slice(0, uri.lastIndexOf('/') + 1);
    const text = (await owner.get(base + uri)).text;
    const files = [...text.matchAll(/URI="([^"]+)"/g)].map((match) => match[1]);
    files.push(...text.split('\n').filter((line) => line && !line.startsWith('#')));
    for (const name of files) await download(rungBase + name, join(dirname(playlist), name));
    rungs.push(playlist);
  }
  return { rungs, master };
}

describe('the files people really have play everywhere', () => {
  it.each(Object.entries(realWorld))('%s ends ready with a web-safe faststart MP4 and an HLS ladder that decodes', async (name, make) => {
    const file = make();
    const source = probeSummary(file.path);
    const video = await uploadAndSettle(file);
    expect(video).toMatchObject({ status: 'ready', processing: null, failure: null });
    // The displayed size (a rotated phone clip is portrait).
    expect([video.width, video.height]).toEqual([source.displayWidth, source.displayHeight]);
    expect(video.playback).toEqual({ hls_url: expect.stringMatching(/master\.m3u8$/), mp4_url: expect.stringMatching(/video\.mp4$/) });

    const mp4 = await download(video.playback.mp4_url, join(downloads, name, 'video.mp4'));
    const rendition = probeSummary(mp4);
    expect(rendition).toMatchObject({ videoCodec: 'h264', pixFmt: 'yuv420p', audioCodec: source.audioCodec ? 'aac' : null });
    expect([rendition.displayWidth, rendition.displayHeight]).toEqual([source.displayWidth, source.displayHeight]);
    expect(moovBeforeMdat(mp4)).toBe(true);
    expect(decodesCleanly(mp4)).toBe(true);

    const { rungs } = await mirrorHls(video.playback.hls_url, join(downloads, name, 'hls'));
    expect(rungs.length).toBeGreaterThanOrEqual(1);
    for (const rung of rungs) expect(decodesCleanly(rung)).toBe(true);
    processed.push({ name, video });
  });

  it('copies a web-safe upload without re-encoding it', async () => {
    const file = webSafeMp4();
    const video = await uploadAndSettle(file);
    const mp4 = await download(video.playback.mp4_url, join(downloads, 'remux', 'video.mp4'));
    const videoPackets = (path: string) =>
      execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:v', '-c', 'copy', '-f', 'md5', '-']).toString().trim();
    expect(videoPackets(mp4)).toBe(videoPackets(file.path));
  });

  it('builds a ladder of the configured rungs below the source, and the source itself', async () => {
    const video = await uploadAndSettle(webSafe720());
    const { master, rungs } = await mirrorHls(video.playback.hls_url, join(downloads, 'ladder'));
    expect(master).toContain('RESOLUTION=1280x720');
    expect(master).toContain('RESOLUTION=640x360');
    expect(master).not.toContain('1080');
    expect(rungs.map((rung) => probeSummary(rung).height ?? 0).sort((a, b) => a - b)).toEqual([360, 720]);
  });

  it('serves renditions immutable, with strong validators, to Range + If-Range (a seek) with 206, and to HEAD', async () => {
    const video = await uploadAndSettle(webSafeMp4());
    for (const url of [video.playback.mp4_url, video.playback.hls_url, video.stream_url, video.cover_url]) {
      const head = await owner.head(url);
      expect(head.status).toBe(200);
      expect(head.headers.etag).toMatch(/^"[^"]+"$/);
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
      // What Chromium sends when it seeks in a file it has part of.
      const seek = await owner.get(url).set('Range', 'bytes=10-99').set('If-Range', head.headers.etag);
      expect(seek.status).toBe(206);
      expect(seek.headers['content-range']).toBe(`bytes 10-99/${head.headers['content-length']}`);
    }
    const mp4 = await owner.head(video.playback.mp4_url);
    expect(mp4.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(mp4.headers['content-type']).toBe('video/mp4');
    expect((await owner.head(video.playback.hls_url)).headers['content-type']).toBe('application/vnd.apple.mpegurl');
  });

  it('answers 404 (2004) for a rendition set that is not the current one, or a file a set does not hold', async () => {
    const video = await uploadAndSettle(webSafeMp4());
    const base = video.playback.mp4_url.replace(/video\.mp4$/, '');
    const other = base.replace(/renditions\/[0-9a-f]+\//, 'renditions/000000000000/');
    for (const url of [
      `${other}video.mp4`,
      `${base}cover.jpg`,
      `${base}hls/../video.mp4`,
      `${base}hls/360p/../../video.mp4`,
      `${base}x.mp4`,
    ]) {
      const res = await owner.get(url);
      expect(res.status).toBe(404);
    }
    const res = await owner.get(`${other}video.mp4`);
    expect(res.body).toEqual({ errno: 2004, msg: '视频不存在' });
  });
});

describe('in Chromium', () => {
  /**
   * Every processed real-world file, played from its MP4 rendition and through hls.js: frames
   * decode, a seek to three quarters lands, and the bytes that seek cost are counted (CDP).
   */
  it('plays every format from both renditions, and a seek costs only what it needs', async () => {
    expect(processed.length).toBe(Object.keys(realWorld).length);
    const browser = await launchChromium();
    const results: Record<string, unknown>[] = [];
    try {
      // The app's own origin (renditions are same-origin there); the test page's script is injected.
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      let received = 0;
      await cdp.send('Network.enable');
      cdp.on('Network.dataReceived', (event: { encodedDataLength: number }) => (received += event.encodedDataLength));
      const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
      await page.goto(`${base}/api/health`);
      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js') });
      for (const { name, video } of processed) {
        for (const via of ['mp4', 'hls'] as const) {
          const url = base + (via === 'mp4' ? video.playback.mp4_url : video.playback.hls_url);
          const loaded = await page.evaluate(playUntilLoaded, { url, hls: via === 'hls' });
          received = 0;
          const seek = await page.evaluate(seekToThreeQuarters);
          const seekBytes = received;
          const row = { name, via, ...loaded, ...seek, seekBytes };
          results.push(row);
          expect(row, `${name} via ${via}`).toMatchObject({ landed: true });
          // The MP4 is the displayed size; hls.js may start on a smaller rung of the same shape.
          if (via === 'mp4') expect([loaded.width, loaded.height]).toEqual([video.width, video.height]);
          else expect(loaded.width / loaded.height).toBeCloseTo(video.width / video.height, 2);
          expect(loaded.frames, `${name} via ${via}`).toBeGreaterThan(0);
        }
      }
    } finally {
      await browser.close();
      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync(join('test-artifacts', 'playback-matrix.json'), `${JSON.stringify(results, null, 2)}\n`);
    }
  }, 120_000);
});

/** In the page: a fresh <video> playing `url` (through hls.js for HLS) until a frame is decoded. */
async function playUntilLoaded({ url, hls }: { url: string; hls: boolean }) {
  const win = window as unknown as { Hls: new () => { loadSource(url: string): void; attachMedia(media: HTMLVideoElement): void } };
  document.querySelector('video')?.remove();
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  if (hls) {
    const player = new win.Hls();
    player.loadSource(url);
    player.attachMedia(video);
  } else {
    video.src = url;
  }
  await new Promise<void>((resolve, reject) => {
    video.addEventListener('loadeddata', () => resolve(), { once: true });
    video.addEventListener('error', () => reject(new Error(`media error ${video.error?.code}`)), { once: true });
    setTimeout(() => reject(new Error('no frame within 15 s')), 15_000);
  });
  const within = <T>(what: string, promise: Promise<T>) =>
    Promise.race([
      promise,
      new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`${what}: nothing within 10 s`)), 10_000)),
    ]);
  await within('play', video.play());
  // The callback's own count: getVideoPlaybackQuality() is updated later and may still read 0 here.
  const presented = await within(
    'a frame',
    new Promise<number>((resolve) => video.requestVideoFrameCallback((_now, frame) => resolve(frame.presentedFrames))),
  );
  video.pause();
  return { width: video.videoWidth, height: video.videoHeight, duration: video.duration, frames: presented };
}

/** In the page: a seek to three quarters of the video, until it lands and a frame is shown there. */
async function seekToThreeQuarters() {
  const video = document.querySelector('video')!;
  const target = video.duration * 0.75;
  const started = performance.now();
  const within = <T>(what: string, promise: Promise<T>) =>
    Promise.race([
      promise,
      new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`${what}: nothing within 10 s`)), 10_000)),
    ]);
  video.currentTime = target;
  await within('seeked', new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true })));
  // A paused video presents no new frame: play on, and read the time of the first frame shown.
  const shown = await within(
    'the frame there',
    new Promise<number>((resolve) => {
      video.requestVideoFrameCallback((_now, frame) => resolve(frame.mediaTime));
      void video.play();
    }),
  );
  video.pause();
  return { landed: Math.abs(shown - target) < 0.5, seekMs: Math.round(performance.now() - started) };
}

describe('reprocess', () => {
  it('runs processing again under new rendition URLs; the old set goes', async () => {
    const video = await uploadAndSettle(webSafeMp4());
    const res = await owner.post(`/api/videos/${video.id}/reprocess`);
    expect(res.body).toMatchObject({ errno: 0, msg: 'ok', video: { status: 'processing', processing: { stage: expect.any(String) } } });
    await t.app.get(VideoProcessor).idle();
    const again = (await owner.get(`/api/videos/${video.id}`)).body.video;
    expect(again.status).toBe('ready');
    expect(again.playback.mp4_url).not.toBe(video.playback.mp4_url);
    expect((await owner.get(again.playback.mp4_url)).status).toBe(200);
    expect((await owner.get(video.playback.mp4_url)).status).toBe(404);
  });

  it('answers 1011 without a login, 2005 to another account, 2004 to an unknown id', async () => {
    const video = await uploadAndSettle(webSafeMp4());
    expect((await t.client().post(`/api/videos/${video.id}/reprocess`)).body.errno).toBe(1011);
    const other = t.client();
    await login(other, await register(t.client(), smtp, 'other'));
    expect((await other.post(`/api/videos/${video.id}/reprocess`)).body).toEqual({ errno: 2005, msg: '无权操作该视频' });
    expect((await owner.post('/api/videos/ffffffffffffffffffff/reprocess')).body.errno).toBe(2004);
  });

  it('answers 2008 for an upload that holds no video to decode, and shows the reason to its owner only', async () => {
    const broken = undecodableMp4();
    const res = await owner.post('/api/videos/video_upload').attach('video', broken, 'broken.mp4');
    await t.app.get(VideoProcessor).idle();
    const video = (await owner.get(`/api/videos/${res.body.video.id}`)).body.video;
    expect(video).toMatchObject({ status: 'failed', playback: null, failure: expect.stringMatching(/\w/) });
    expect(video.failure).not.toMatch(/\/|ffmpeg|ffprobe/);
    expect((await t.client().get(`/api/videos/${video.id}`)).body.video).not.toHaveProperty('failure');
    expect((await owner.post(`/api/videos/${video.id}/reprocess`)).body).toEqual({ errno: 2008, msg: '视频处理失败' });
  });
});

describe('hostile media', () => {
  it.each([
    ['a DASH manifest behind an MP4 head', () => dashBehindMp4Head(webSafeMp4().path)],
    ['an HLS playlist behind an MP4 head', () => hlsBehindMp4Head(webSafeMp4().path)],
    ['an ffconcat list behind an MP4 head', () => ffconcatFile(webSafeMp4().path, { mp4Head: true })],
    ['a dynamic DASH manifest behind an MP4 head', () => dynamicDash(undefined, { mp4Head: true })],
    ['a plain DASH manifest', () => dashBehindMp4Head(webSafeMp4().path, { mp4Head: false })],
    ['a plain ffconcat list', () => ffconcatFile(webSafeMp4().path)],
  ])('refuses %s with 2002 at upload', async (_name, make) => {
    const res = await owner.post('/api/videos/video_upload').attach('video', make().buffer(), 'clip.mp4');
    expect(res.body).toEqual({ errno: 2002, msg: '不支持的视频格式' });
  });

  it('fails a 16000x16000 frame quickly, with a reason', async () => {
    const started = Date.now();
    const video = await uploadAndSettle(hugeFrameMov());
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(video).toMatchObject({ status: 'failed', playback: null, failure: 'the picture is too large or damaged' });
  });

  // Behind the sniff: should a manifest ever reach the tools, they read it as the container the
  // upload claimed to be, through the file protocol alone.
  it.each([
    ['a DASH manifest naming a local video', () => dashManifest(webSafeMp4().path)],
    ['an HLS playlist naming a local video', () => hlsPlaylist(webSafeMp4().path)],
    ['a dynamic DASH manifest', () => dynamicDash().buffer().toString('latin1')],
    ['an ffconcat list naming a local video', () => `ffconcat version 1.0\nfile '${webSafeMp4().path}'\n`],
  ])('ffprobe in the sandbox reads %s as nothing, at once', async (_name, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-hostile-'));
    const path = join(dir, 'video');
    writeFileSync(path, text());
    const tools = t.app.get(MediaTools);
    for (const demuxer of ['mov', 'matroska', 'avi', 'flv', 'mpegts']) {
      const started = Date.now();
      const outcome = await tools.probe(path, demuxer).then(
        (probe) => (probe.streams ?? []).filter((stream) => stream.codec_type === 'video').length,
        () => 0,
      );
      expect(outcome).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
