// Chromium helpers shared by the playback benchmarks: a page behind a throttled link that counts
// the bytes crossing it, and in-page functions that load a video and seek in it.

import { sleep } from './lib.mjs';

/** The link every playback figure is measured over. */
export const LINK = { downMbit: 40, upMbit: 20, latencyMs: 20 };

/** A same-origin page (the API's, so hls.js may fetch) on a throttled link, with its network bytes recorded. */
export async function throttledPage(browser, base) {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/api/health`);
  const cdp = await context.newCDPSession(page);
  const net = { offset: null, events: [], started: new Map(), lastAt: Date.now() };
  cdp.on('Network.requestWillBeSent', (event) => {
    net.offset ??= event.wallTime - event.timestamp;
    net.started.set(event.requestId, event.timestamp);
  });
  // As bench/playback.mjs: encoded lengths come late or never for aborted requests, decoded ones are
  // the same for media (no content encoding), so the larger of the two.
  cdp.on('Network.responseReceived', (event) => {
    net.events.push({ t: event.timestamp, bytes: event.response.encodedDataLength ?? 0, id: event.requestId });
    net.lastAt = Date.now();
  });
  cdp.on('Network.dataReceived', (event) => {
    net.events.push({ t: event.timestamp, bytes: Math.max(event.encodedDataLength, event.dataLength), id: event.requestId });
    net.lastAt = Date.now();
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: LINK.latencyMs,
    downloadThroughput: (LINK.downMbit * 1e6) / 8,
    uploadThroughput: (LINK.upMbit * 1e6) / 8,
  });
  await page.evaluate(() => document.body.replaceChildren());
  /** Bytes between two page times: all that arrived, and those of requests made from `fromMs` on. */
  const bytesBetween = (fromMs, toMs) => {
    const from = (fromMs - 1) / 1000 - net.offset;
    const to = (toMs + 1) / 1000 - net.offset;
    const inWindow = net.events.filter((event) => event.t >= from && event.t <= to);
    const sum = (events) => events.reduce((total, event) => total + event.bytes, 0);
    const requested = inWindow.filter((event) => net.started.get(event.id) >= from);
    return { all: sum(inWindow), requested: sum(requested), requests: new Set(requested.map((event) => event.id)).size };
  };
  const quiet = async (limitMs = 20_000) => {
    const end = Date.now() + limitMs;
    while (Date.now() - net.lastAt < 1000 && Date.now() < end) await sleep(100);
  };
  return { context, page, bytesBetween, quiet };
}

export const MP4_METADATA = (url) =>
  new Promise((resolve, reject) => {
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'metadata';
    document.body.append(video);
    const t0 = Date.now();
    video.addEventListener('loadedmetadata', () => resolve({ t0, at: Date.now(), duration: video.duration }), { once: true });
    video.addEventListener('error', () => reject(new Error(`MEDIA_ERR ${video.error?.code}: ${video.error?.message}`)), { once: true });
    video.src = url;
  });

export const HLS_METADATA = (url) =>
  new Promise((resolve, reject) => {
    const video = document.createElement('video');
    video.muted = true;
    video.style.width = '1280px';
    video.style.height = '720px';
    document.body.append(video);
    const t0 = Date.now();
    // As the web client's player (client/src/components/Player.tsx) configures it.
    const hls = new window.Hls({ enableWorker: false, capLevelToPlayerSize: true });
    window.hls = hls;
    hls.on(window.Hls.Events.ERROR, (_event, data) => data.fatal && reject(new Error(`hls.js: ${data.details}`)));
    video.addEventListener('loadedmetadata', () => resolve({ t0, at: Date.now(), duration: video.duration }), { once: true });
    hls.loadSource(url);
    hls.attachMedia(video);
  });

/** In the page: seek, then wait for 'seeked' and a frame at the new position presented. */
export const SEEK = (to) =>
  new Promise((resolve, reject) => {
    const video = document.querySelector('video');
    const t0 = Date.now();
    let seekedAt = null;
    let frameAt = null;
    const done = () => {
      if (seekedAt !== null && frameAt !== null) {
        const level = window.hls ? window.hls.levels[window.hls.currentLevel]?.height : null;
        resolve({ t0, seeked: seekedAt, frame: frameAt, currentTime: video.currentTime, level });
      }
    };
    const onFrame = (_now, meta) => {
      if (meta.mediaTime < to - 1) return video.requestVideoFrameCallback(onFrame);
      frameAt = Date.now();
      done();
    };
    video.requestVideoFrameCallback(onFrame);
    video.addEventListener(
      'seeked',
      () => {
        seekedAt = Date.now();
        setTimeout(() => {
          if (frameAt === null && video.readyState >= 2) {
            frameAt = -1;
            done();
          }
        }, 3000);
        done();
      },
      { once: true },
    );
    video.addEventListener('error', () => reject(new Error(`MEDIA_ERR ${video.error?.code}: ${video.error?.message}`)), { once: true });
    setTimeout(() => reject(new Error('seek did not finish in 30 s')), 30_000);
    video.currentTime = to;
  });
