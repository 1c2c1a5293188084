// Every format (issue #9): what processing makes of each kind of file people upload, and whether a
// browser can play it before and after. Writes bench/formats-result.json.
//
// For each real-world format of test/support/media.ts (the same codecs, containers and flags, made
// here at a realistic size: 30 s, 640x360 or its portrait equivalent, 30 fps, ~1.6 Mbit/s, a
// keyframe every 2 s, test footage with temporal noise, a 440 Hz tone unless it is the no-audio
// one): upload it to the built server (embedded defaults, its own DATA_DIR), one at a time, and
// time it until `ready`; ffprobe the web MP4 it made (codecs, pix_fmt, displayed size) and tell a
// remux from a transcode (the video packets' md5 as test/playback.e2e-spec.ts does; when they
// differ for an H.264 source, the decoded frames' md5, since MPEG-TS carries Annex B and MP4 length
// prefixes, so a copied stream differs in its packets but not in its pictures). Then, in headless
// Chromium on the link of bench/playback.mjs (40 Mbit/s, 20 ms): does the original play at all,
// and for the MP4 rendition and the HLS master (hls.js): a seek to 75 % (bytes and ms until the
// frame is shown), then do frames decode.
//
// Needs a build (dist/), ffmpeg, and /usr/bin/chromium (CHROMIUM_PATH).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import * as prettier from 'prettier';
import { HLS_METADATA, LINK, MP4_METADATA, SEEK, throttledPage } from './browser.mjs';
import { signUp, sleep, startApp } from './lib.mjs';

const CLIP_S = 30;
const SEEK_TO = CLIP_S * 0.75;
const FPS = 30;
const ORIGINAL_WAIT_MS = 8000;
const started = Date.now();
const log = (line) => console.log(`[formats ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);
const round = (value, digits = 2) => +value.toFixed(digits);
const MB = 1e6;

// ---- inputs (the generators of test/support/media.ts, at 640x360 for 30 s) ---------------------

// Temporal noise, so that encoders work (and bit rates land) about as on camera footage.
const video = (size = '640x360') => ['-f', 'lavfi', '-i', `testsrc2=duration=${CLIP_S}:size=${size}:rate=${FPS},noise=alls=12:allf=t`];
const sine = (rate = 44100) => ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${CLIP_S}:sample_rate=${rate}`];
// ~1.6 Mbit/s video (capped at 2), a keyframe every 2 s, for every encoder.
const rate = ['-b:v', '1600k', '-maxrate', '2M', '-bufsize', '4M', '-g', String(2 * FPS)];
const x264 = (pixFmt = 'yuv420p') => ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', pixFmt, ...rate];
const aac = ['-c:a', 'aac', '-b:a', '128k'];
const mp3 = ['-c:a', 'libmp3lame', '-b:a', '128k'];
const opus = ['-c:a', 'libopus', '-b:a', '96k'];

/**
 * name: [label, file, muxer, how]. `how` is either ffmpeg arguments before the output (an encode),
 * or { from, args }: a stream copy of another input's file (the web-safe H.264 + AAC re-packaged,
 * as camera, recorder and editor software write the same streams into other containers).
 */
const FORMATS = {
  hevcMov: [
    'HEVC (hvc1) + AAC, MOV (iPhone)',
    'hevc-aac.mov',
    'mov',
    [...video(), ...sine(), '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p'].concat(
      rate,
      ['-tag:v', 'hvc1'],
      aac,
    ),
  ],
  mpeg4Avi: [
    'MPEG-4 Part 2 (XVID) + MP3, AVI',
    'mpeg4-mp3.avi',
    'avi',
    [...video(), ...sine(), '-c:v', 'mpeg4', ...rate, '-tag:v', 'XVID', ...mp3],
  ],
  flvH264: ['H.264 + AAC, FLV', 'h264-aac.flv', 'flv', { from: 'webSafeMp4', args: ['-c', 'copy'] }],
  flvSorenson: ['Sorenson Spark (FLV1) + MP3, FLV', 'flv1-mp3.flv', 'flv', [...video(), ...sine(), '-c:v', 'flv1', ...rate, ...mp3]],
  mpegTs: ['H.264 + AAC, MPEG-TS', 'h264-aac.ts', 'mpegts', { from: 'webSafeMp4', args: ['-c', 'copy'] }],
  mkv: ['H.264 + Opus, MKV', 'h264-opus.mkv', 'matroska', { from: 'webSafeMp4', args: ['-c:v', 'copy', '-ar', '48000', ...opus] }],
  moovAtEndMp4: ['H.264 + AAC, MP4 with moov at the end', 'moov-at-end.mp4', 'mp4', { from: 'webSafeMp4', args: ['-c', 'copy'] }],
  // Coded 640x360 with a 90° rotation, shown 360x640 (ffmpeg 5.x takes the `rotate` tag; 6+ has -display_rotation).
  rotatedPortrait: [
    'H.264 + AAC, MP4 rotated 90° (portrait phone)',
    'rotated-portrait.mp4',
    'mp4',
    { from: 'webSafeMp4', args: ['-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-movflags', '+faststart'] },
  ],
  tenBit: [
    'H.264 High 10 (10-bit) + AAC, MP4',
    'h264-high10.mp4',
    'mp4',
    [...video(), ...sine(), ...x264('yuv420p10le'), '-profile:v', 'high10', ...aac, '-movflags', '+faststart'],
  ],
  vp9Webm: [
    'VP9 + Opus, WebM',
    'vp9-opus.webm',
    'webm',
    [...video(), ...sine(48000), '-c:v', 'libvpx-vp9', ...rate, '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', ...opus],
  ],
  noAudioMp4: [
    'H.264, no audio, MP4 (screen recording)',
    'no-audio.mp4',
    'mp4',
    { from: 'webSafeMp4', args: ['-an', '-c', 'copy', '-movflags', '+faststart'] },
  ],
  webSafeMp4: [
    'H.264 + AAC, faststart MP4 (web-safe)',
    'web-safe.mp4',
    'mp4',
    [...video(), ...sine(), ...x264(), ...aac, '-movflags', '+faststart'],
  ],
};

function ffmpegAsync(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${args.join(' ')}: exit ${code}: ${stderr}`))));
  });
}

/** Makes every input: the encodes two at a time (2 cores), the longest first, then the stream copies. */
async function makeMedia(dir) {
  const files = Object.fromEntries(Object.entries(FORMATS).map(([name, [, file]]) => [name, join(dir, file)]));
  const entries = Object.entries(FORMATS);
  const encodes = entries.filter(([, [, , , how]]) => Array.isArray(how));
  const worker = async () => {
    for (let next = encodes.shift(); next; next = encodes.shift()) {
      const [name, [, , muxer, args]] = next;
      await ffmpegAsync([...args, '-f', muxer, files[name]]);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const [name, [, , muxer, how]] of entries)
    if (!Array.isArray(how)) await ffmpegAsync(['-i', files[how.from], ...how.args, '-f', muxer, files[name]]);
  return files;
}

// ---- what a file is ------------------------------------------------------------------------------

function probe(path) {
  const { streams, format } = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path], { maxBuffer: 16 << 20 }),
  );
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const matrix = v?.side_data_list?.find((d) => typeof d.rotation === 'number');
  const rotation = matrix?.rotation ?? (v?.tags?.rotate ? Number(v.tags.rotate) : 0);
  const quarter = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  return {
    container: format.format_name,
    video_codec: v?.codec_name ?? null,
    profile: v?.profile ?? null,
    pix_fmt: v?.pix_fmt ?? null,
    coded: v ? `${v.width}x${v.height}` : null,
    rotation,
    displayed: v ? (quarter ? `${v.height}x${v.width}` : `${v.width}x${v.height}`) : null,
    audio_codec: a?.codec_name ?? null,
    duration_s: format.duration ? round(Number(format.duration), 2) : null,
    bit_rate_kbit: format.bit_rate ? Math.round(Number(format.bit_rate) / 1000) : null,
    bytes: statSync(path).size,
  };
}

/** md5 of the video packets as stored (`copy`), or of the decoded pictures. */
const videoMd5 = (path, decoded) =>
  execFileSync(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-i',
      path,
      '-map',
      '0:v:0',
      ...(decoded ? ['-fps_mode', 'passthrough'] : ['-c', 'copy']),
      '-f',
      'md5',
      '-',
    ],
    { maxBuffer: 1 << 20 },
  )
    .toString()
    .trim();

/** Was the web MP4's video copied from the source, or encoded anew? */
function mp4Step(source, rendition, sourceInfo) {
  if (videoMd5(source, false) === videoMd5(rendition, false)) return { step: 'remux', evidence: 'video packets identical' };
  // Only H.264 can be copied into the web MP4; a different bitstream packaging (Annex B in MPEG-TS)
  // changes the packets, not the pictures.
  if (sourceInfo.video_codec !== 'h264') return { step: 'transcode', evidence: `source video is ${sourceInfo.video_codec}` };
  return videoMd5(source, true) === videoMd5(rendition, true)
    ? { step: 'remux', evidence: 'video packets differ (bitstream packaging), decoded frames identical' }
    : { step: 'transcode', evidence: 'decoded frames differ' };
}

// ---- the server ----------------------------------------------------------------------------------

async function upload(app, cookie, file, name, retry = true) {
  const body = new FormData();
  body.append('video', new Blob([readFileSync(file)]), name);
  let reply;
  try {
    const response = await fetch(`${app.base}/api/videos/video_upload`, { method: 'POST', headers: { Cookie: cookie }, body });
    reply = await response.json();
  } catch (error) {
    const health = await fetch(`${app.base}/api/health`).then(
      (r) => r.text(),
      (e) => e.message,
    );
    log(`upload of ${name} failed (${error.cause?.code ?? error.message}); health: ${health.slice(0, 300)}`);
    if (!retry) throw error;
    await sleep(1000);
    return upload(app, cookie, file, name, false);
  }
  if (reply.errno !== 0) throw new Error(`upload of ${name} answered ${JSON.stringify(reply)}`);
  return reply.video;
}

/** Uploads, then polls until the video is ready or failed: its final view and the seconds it took. */
async function process1(app, cookie, file, name, limitS = 150) {
  const uploaded = await upload(app, cookie, file, name);
  const start = process.hrtime.bigint();
  const end = Date.now() + limitS * 1000;
  for (;;) {
    const { video } = await (await fetch(`${app.base}/api/videos/${uploaded.id}`, { headers: { Cookie: cookie } })).json();
    if (video.status === 'ready' || video.status === 'failed' || Date.now() > end)
      return { video, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
    await sleep(100);
  }
}

// ---- Chromium (the page helpers of bench/playback.mjs, which runs on import and exports nothing) ----

/**
 * In the page: play the (first) video element, muted, until frames decode (totalVideoFrames > 0,
 * videoWidth > 0, the clock moving) or it fails (MEDIA_ERR) or `waitMs` passes.
 */
const PLAYS = ({ url, waitMs }) =>
  new Promise((resolve) => {
    let video = document.querySelector('video');
    if (!video) {
      video = document.createElement('video');
      video.muted = true;
      video.preload = 'auto';
      document.body.append(video);
      video.src = url;
    }
    const from = video.currentTime;
    const t0 = Date.now();
    const state = (extra) => {
      const quality = video.getVideoPlaybackQuality();
      return {
        total_video_frames: quality.totalVideoFrames,
        video_width: video.videoWidth,
        video_height: video.videoHeight,
        advanced_s: +(video.currentTime - from).toFixed(2),
        ms: Date.now() - t0,
        ...extra,
      };
    };
    let finished = false;
    const finish = (result) => {
      if (finished) return;
      finished = true;
      clearInterval(poll);
      video.pause();
      resolve(result);
    };
    const failed = () =>
      finish(state({ plays: false, error: `MEDIA_ERR ${video.error?.code}${video.error?.message ? `: ${video.error.message}` : ''}` }));
    if (video.error) return failed();
    video.addEventListener('error', failed, { once: true });
    const poll = setInterval(() => {
      const now = state({});
      if (now.total_video_frames > 0 && now.video_width > 0 && now.advanced_s > 0.2) finish({ ...now, plays: true, error: null });
      else if (Date.now() - t0 > waitMs)
        finish({ ...now, plays: false, error: `no frames in ${waitMs} ms (readyState ${video.readyState})` });
    }, 50);
    video.play().catch(() => {
      /* reported by 'error' or the poll */
    });
  });

/** The original (stream_url) as is, in a fresh page: does Chromium play it at all? */
async function originalPlays(browser, base, url) {
  const { context, page } = await throttledPage(browser, base);
  try {
    return await page.evaluate(PLAYS, { url, waitMs: ORIGINAL_WAIT_MS });
  } finally {
    await context.close();
  }
}

/**
 * A rendition in a fresh page: a seek to SEEK_TO (bytes and ms until the frame is shown), then play
 * on from there. The MP4 element (preload=metadata) is seeked once its first read is over. hls.js
 * is seeked at `loadedmetadata`: it buffers on at once, and a 30 s clip of ~1 Mbit/s crosses this
 * link in about a second, so a later seek would cost nothing and measure nothing.
 */
async function renditionOnce(browser, base, url, kind) {
  const { context, page, bytesBetween, quiet } = await throttledPage(browser, base);
  try {
    if (kind === 'hls') await page.addScriptTag({ path: 'node_modules/hls.js/dist/hls.min.js' });
    const result = {};
    try {
      await page.evaluate(kind === 'hls' ? HLS_METADATA : MP4_METADATA, url);
      if (kind === 'mp4') await quiet();
      const seek = await page.evaluate(SEEK, SEEK_TO);
      await sleep(300); // the last network events reach us
      const end = Math.max(seek.seeked, seek.frame);
      const bytes = bytesBetween(seek.t0, end);
      result.seek = {
        bytes: bytes.requested,
        bytes_arrived: bytes.all,
        requests: bytes.requests,
        ms: end - seek.t0,
        frame_presented: seek.frame !== -1,
        current_time: round(seek.currentTime, 2),
        ...(kind === 'hls' ? { level: seek.level } : {}),
      };
    } catch (error) {
      result.seek = { error: error.message };
    }
    result.playback = await page.evaluate(PLAYS, { url, waitMs: 5000 });
    if (kind === 'hls') result.playback.level = await page.evaluate(() => window.hls?.levels[window.hls.currentLevel]?.height ?? null);
    return result;
  } finally {
    await context.close();
  }
}

const yesNo = (r) => (r?.plays ? 'yes' : 'no');

async function main() {
  const loads = {};
  const loadNow = () => round(loadavg()[0], 1);
  const work = mkdtempSync(join(tmpdir(), 'ps-bench-formats-'));
  let app = null;
  let browser = null;
  try {
    loads.generate = loadNow();
    const files = await makeMedia(work);
    log(`${Object.keys(files).length} inputs made`);

    loads.process = loadNow();
    app = await startApp();
    const { cookie } = await signUp(app, 'formats@example.com');
    const results = {};
    // One at a time, so that each processing time is that file's alone.
    for (const [name, [label, file]] of Object.entries(FORMATS)) {
      const source = probe(files[name]);
      const { video, seconds } = await process1(app, cookie, files[name], file);
      const entry = { label, source, status: video.status, processing_s: round(seconds, 1) };
      if (video.status !== 'ready') entry.failure = video.failure ?? `still ${video.status}`;
      results[name] = entry;
      entry.displayed = video.width ? `${video.width}x${video.height}` : null;
      entry.urls = { original: video.stream_url, mp4: video.playback?.mp4_url ?? null, hls: video.playback?.hls_url ?? null };
      if (video.status === 'ready' && video.playback) {
        const mp4 = join(work, `${name}.rendition.mp4`);
        writeFileSync(mp4, Buffer.from(await (await fetch(`${app.base}${video.playback.mp4_url}`)).arrayBuffer()));
        entry.rendition = probe(mp4);
        Object.assign(entry, mp4Step(files[name], mp4, source));
        const master = await (await fetch(`${app.base}${video.playback.hls_url}`)).text();
        entry.hls_rungs = master
          .split('\n')
          .filter((line) => line.startsWith('#EXT-X-STREAM-INF:'))
          .map((line) => ({
            resolution: line.match(/RESOLUTION=(\d+x\d+)/)?.[1] ?? null,
            bandwidth: Number(line.match(/[:,]BANDWIDTH=(\d+)/)?.[1] ?? NaN),
            average_bandwidth: Number(line.match(/AVERAGE-BANDWIDTH=(\d+)/)?.[1] ?? NaN),
          }));
        rmSync(mp4);
      }
      log(
        `${name}: ${entry.status} in ${entry.processing_s} s${entry.failure ? ` (${entry.failure})` : ''}` +
          (entry.rendition
            ? `, ${entry.step} -> ${entry.rendition.video_codec} ${entry.rendition.pix_fmt} ${entry.rendition.audio_codec ?? 'no audio'} ${entry.rendition.displayed}`
            : ''),
      );
    }

    loads.browser = loadNow();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    log(`Chromium ${browser.version()}`);
    for (const [name, entry] of Object.entries(results)) {
      entry.original_plays = await originalPlays(browser, app.base, `${app.base}${entry.urls.original}`);
      if (entry.urls.mp4) {
        entry.mp4 = await renditionOnce(browser, app.base, `${app.base}${entry.urls.mp4}`, 'mp4');
        entry.hls = await renditionOnce(browser, app.base, `${app.base}${entry.urls.hls}`, 'hls');
      }
      const seekLine = (r) => (r?.seek?.error ? r.seek.error : r ? `${(r.seek.bytes / MB).toFixed(2)} MB ${r.seek.ms} ms` : '-');
      log(
        `${name}: plays original ${yesNo(entry.original_plays)}${entry.original_plays.error ? ` (${entry.original_plays.error})` : ''}, ` +
          `MP4 ${yesNo(entry.mp4?.playback)} (seek ${seekLine(entry.mp4)}), HLS ${yesNo(entry.hls?.playback)} (seek ${seekLine(entry.hls)})`,
      );
      delete entry.urls;
    }

    // { <format>: {...}, ..., _run: {what was measured, how, on what} }
    const report = { ...results };
    report._run = {
      cores: cpus().length,
      chromium: browser.version(),
      clip: `${CLIP_S} s, 640x360 (portrait: coded 640x360 with a 90° rotation), ${FPS} fps, ~1.6 Mbit/s video (max 2), a keyframe every 2 s, testsrc2 with temporal noise; a 440 Hz tone as AAC/MP3 128 kbit/s or Opus 96 kbit/s`,
      link: `${LINK.downMbit} Mbit/s down, ${LINK.upMbit} up, ${LINK.latencyMs} ms latency`,
      seek_to_s: SEEK_TO,
      original_wait_ms: ORIGINAL_WAIT_MS,
      load_average_1min: loads,
      total_s: Math.round((Date.now() - started) / 1000),
    };
    const file = 'bench/formats-result.json';
    writeFileSync(file, await prettier.format(JSON.stringify(report), { ...(await prettier.resolveConfig(file)), filepath: file }));
    log(`wrote ${file}`);
  } finally {
    await browser?.close();
    if (app) {
      app.child.kill();
      rmSync(app.dataDir, { recursive: true, force: true });
    }
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
