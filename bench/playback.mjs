// Playback benchmark (issue #9): what processing costs and what it buys, each figure against a
// baseline measured in the same run. Writes bench/playback-result.json.
//
// 1. Transcode step: VideoPipeline's own web-MP4 step (its arguments, MediaTools: prlimit, nice,
//    progress) against the plain ffmpeg command line with the same arguments, same file.
// 2. Remux against full transcode of a web-safe upload: the MP4 step alone, and whole runs in the
//    server (probe, MP4, HLS ladder, cover) of a web-safe file against one needing a transcode.
// 3. Backlog: 6 uploads drained by PROCESSING_CONCURRENCY=1 against 2 on this machine.
// 4. Seek: headless Chromium over a throttled link seeks to 50 s in the web MP4 and in the HLS
//    ladder (bytes and time until the frame is shown), and loads the metadata of a moov-at-end
//    original against its faststart rendition.
//
// Needs a build (dist/), ffmpeg, and /usr/bin/chromium (CHROMIUM_PATH). Rounds: BENCH_PLAYBACK_ROUNDS.
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import * as prettier from 'prettier';
import { loadConfig } from '../dist/src/config/app-config.js';
import { describeSource } from '../dist/src/videos/processing/media-plan.js';
import { MediaTools } from '../dist/src/videos/processing/media-tools.js';
import { VideoPipeline } from '../dist/src/videos/processing/video-pipeline.js';
import { HLS_METADATA, LINK, MP4_METADATA, SEEK, throttledPage } from './browser.mjs';
import { signUp, sleep, startApp } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_PLAYBACK_ROUNDS ?? 3);
const SEEK_TO = 50;
const JOBS = 6;
const CLIP_S = 3;
const MB = 1e6;
const started = Date.now();
const log = (line) => console.log(`[playback ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 2) => +value.toFixed(digits);
const seconds = async (fn) => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
};
const ffmpeg = (...args) => execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);

/** The inputs, all made here: noisy test footage so that x264 works as on camera footage. */
function makeMedia(dir) {
  const web = join(dir, 'web60.mp4');
  // 60 s 1280x720 30 fps H.264 (yuv420p, Main) + AAC, ~5 Mbit/s, a keyframe every 2 s, moov first.
  ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc2=duration=60:size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=60'],
    ...['-vf', 'noise=alls=12:allf=t', '-c:v', 'libx264', '-preset', 'ultrafast', '-x264-params', 'cabac=1'],
    ...['-b:v', '5M', '-maxrate', '5M', '-bufsize', '10M'],
    ...['-g', '60', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', web],
  );
  // The same 60 s as MPEG-4 Part 2 + MP3 in AVI (about the same size): needs a transcode.
  const avi = join(dir, 'src60.avi');
  ffmpeg(
    '-i',
    web,
    '-c:v',
    'mpeg4',
    '-b:v',
    '5M',
    '-maxrate',
    '6M',
    '-bufsize',
    '10M',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    '-f',
    'avi',
    avi,
  );
  const avi20 = join(dir, 'src20.avi');
  ffmpeg('-i', avi, '-t', '20', '-c', 'copy', '-f', 'avi', avi20);
  const clips = Array.from({ length: JOBS }, (_, i) => {
    const clip = join(dir, `clip${i}.avi`);
    ffmpeg('-ss', String(i * CLIP_S), '-i', avi, '-t', String(CLIP_S), '-c', 'copy', '-f', 'avi', clip);
    return clip;
  });
  // The web file with its moov at the end, as many cameras and editors write it.
  const moovEnd = join(dir, 'moov-end.mp4');
  ffmpeg('-i', web, '-c', 'copy', '-f', 'mp4', moovEnd);
  return { web, avi, avi20, clips, moovEnd };
}

/** The project's MP4 step (VideoPipeline's web MP4, through MediaTools as configured by `env`). */
async function projectStep(env, work) {
  const config = loadConfig({ PATH: process.env.PATH, DATA_DIR: join(work, 'data'), NODE_ENV: 'development', ...env });
  const tools = new MediaTools(config);
  const pipeline = new VideoPipeline(null, null, tools, config);
  if (typeof pipeline.webMp4 !== 'function') throw new Error('VideoPipeline has no webMp4 step any more: update bench/playback.mjs');
  const source = async (input, demuxer) => describeSource(await tools.probe(input, demuxer), config.maxPixels);
  /** The arguments the step gives ffmpeg (after MediaTools' common ones), captured without running it. */
  const argsOf = async (input, demuxer, info, output) => {
    let captured = null;
    const recorder = new VideoPipeline(
      null,
      null,
      { inputArgs: tools.inputArgs.bind(tools), ffmpeg: async (args) => void (captured = args) },
      config,
    );
    await recorder.webMp4(input, demuxer, info, output, new AbortController().signal, () => {});
    return captured;
  };
  const run = (input, demuxer, info, output) =>
    seconds(() => pipeline.webMp4(input, demuxer, info, output, new AbortController().signal, () => {}));
  return { source, argsOf, run };
}

function cli(args) {
  return seconds(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.once('error', reject);
        child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}`))));
      }),
  );
}

/** 1. CLI time ÷ our time for the same transcode, in rounds of A (CLI), B (ours), C (ours at nice 0). */
async function transcodeVsCli(media, work) {
  const ours = await projectStep({}, work);
  const oursNice0 = await projectStep({ PROCESSING_NICE: '0' }, work);
  const info = await ours.source(media.avi20, 'avi');
  const output = join(work, 'step.mp4');
  const args = await ours.argsOf(media.avi20, 'avi', info, output);
  const result = { cli_s: [], ours_s: [], ours_nice0_s: [] };
  for (let i = 0; i < ROUNDS; i++) {
    rmSync(output, { force: true });
    result.cli_s.push(await cli(args));
    rmSync(output, { force: true });
    result.ours_s.push(await ours.run(media.avi20, 'avi', info, output));
    rmSync(output, { force: true });
    result.ours_nice0_s.push(await oursNice0.run(media.avi20, 'avi', info, output));
    log(
      `transcode round ${i + 1}: CLI ${result.cli_s[i].toFixed(2)} s, ours ${result.ours_s[i].toFixed(2)} s, ours at nice 0 ${result.ours_nice0_s[i].toFixed(2)} s`,
    );
  }
  const ratios = result.cli_s.map((cliS, i) => cliS / result.ours_s[i]);
  const ratiosNice0 = result.cli_s.map((cliS, i) => cliS / result.ours_nice0_s[i]);
  return {
    input: `20 s 1280x720 30 fps ${info.videoCodec} + ${info.audioCodec} in AVI, ${round(statSync(media.avi20).size / MB, 1)} MB`,
    ffmpeg_args: args.join(' '),
    rounds: ROUNDS,
    cli_s: result.cli_s.map((v) => round(v)),
    ours_s: result.ours_s.map((v) => round(v)),
    ours_nice0_s: result.ours_nice0_s.map((v) => round(v)),
    round_ratios: ratios.map((v) => round(v)).sort((a, b) => a - b),
    ratio: round(median(ratios)),
    ratio_nice0: round(median(ratiosNice0)),
    target: '>= 0.95',
  };
}

/** 2a. The MP4 step on a web-safe upload: remux (what the pipeline does) against a full transcode (forced). */
async function remuxVsTranscode(media, work) {
  const ours = await projectStep({}, work);
  const info = await ours.source(media.web, 'mov');
  // The same file described as not web-safe (4:2:2): the step takes its transcode branch.
  const forced = { ...info, pixFmt: 'yuv422p' };
  const output = join(work, 'remux.mp4');
  const transcodeArgs = await ours.argsOf(media.web, 'mov', forced, output);
  if (!transcodeArgs.includes('libx264')) throw new Error('the forced transcode did not transcode');
  const remuxArgs = await ours.argsOf(media.web, 'mov', info, output);
  if (!remuxArgs.includes('copy')) throw new Error('the web-safe file was not remuxed');
  const remux = [];
  const transcode = [];
  // The transcode takes ~100 times the remux: one is enough against a 20x target (and the budget).
  for (let i = 0; i < ROUNDS; i++) {
    rmSync(output, { force: true });
    remux.push(await ours.run(media.web, 'mov', info, output));
    if (i === 0) {
      rmSync(output, { force: true });
      transcode.push(await ours.run(media.web, 'mov', forced, output));
    }
    log(`MP4 step round ${i + 1}: remux ${remux[i].toFixed(2)} s${transcode[i] ? `, transcode ${transcode[i].toFixed(2)} s` : ''}`);
  }
  return {
    input: `60 s 1280x720 30 fps H.264 ${info.profile} ${info.pixFmt} + AAC MP4, ${round(statSync(media.web).size / MB, 1)} MB`,
    remux_s: remux.map((v) => round(v, 3)),
    transcode_s: transcode.map((v) => round(v)),
    ratio: round(median(transcode) / median(remux), 1),
    target: '>= 20',
  };
}

async function upload(app, cookie, file, name) {
  const body = new FormData();
  body.append('video', new Blob([readFileSync(file)]), name);
  const reply = await (await fetch(`${app.base}/api/videos/video_upload`, { method: 'POST', headers: { Cookie: cookie }, body })).json();
  if (reply.errno !== 0) throw new Error(`upload of ${name} answered ${JSON.stringify(reply)}`);
  return reply.video;
}

/** Polls until every video is ready; resolves with their final views. */
async function untilReady(app, cookie, ids, limitS = 300) {
  const end = Date.now() + limitS * 1000;
  for (;;) {
    const videos = await Promise.all(
      ids.map(async (id) => (await (await fetch(`${app.base}/api/videos/${id}`, { headers: { Cookie: cookie } })).json()).video),
    );
    const failed = videos.find((video) => video.status === 'failed');
    if (failed) throw new Error(`video ${failed.id} failed: ${failed.failure}`);
    if (videos.every((video) => video.status === 'ready')) return videos;
    if (Date.now() > end) throw new Error(`videos not ready after ${limitS} s`);
    await sleep(100);
  }
}

/** 3. Uploads JOBS clips at once; seconds from the first upload until all are ready. */
async function drain(app, cookie, clips) {
  const ids = [];
  const time = await seconds(async () => {
    for (const [i, clip] of clips.entries()) ids.push((await upload(app, cookie, clip, `clip${i}.avi`)).id);
    await untilReady(app, cookie, ids);
  });
  return time;
}

/** 2b. A whole run in the server: upload, then seconds until ready. */
async function wholeRun(app, cookie, file, name) {
  const video = await upload(app, cookie, file, name);
  const start = process.hrtime.bigint();
  const [ready] = await untilReady(app, cookie, [video.id]);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, video: ready };
}

/** 4a. One seek to SEEK_TO in a fresh page: bytes and ms from the seek until the frame is shown. */
async function seekOnce(browser, base, url, kind) {
  const { context, page, bytesBetween, quiet } = await throttledPage(browser, base);
  try {
    if (kind === 'hls') await page.addScriptTag({ path: 'node_modules/hls.js/dist/hls.min.js' });
    await page.evaluate(kind === 'hls' ? HLS_METADATA : MP4_METADATA, url);
    // The MP4 element (preload=metadata) stops after its first read: seek once it has. hls.js buffers
    // on, up to 60 MB (the whole 60 s here within seconds): seek a second after the metadata, while
    // SEEK_TO is not buffered yet, as someone who skips ahead does.
    if (kind === 'hls') await sleep(1000);
    else await quiet();
    const seek = await page.evaluate(SEEK, SEEK_TO);
    await sleep(300); // the last network events reach us
    const end = Math.max(seek.seeked, seek.frame);
    const bytes = bytesBetween(seek.t0, end);
    return {
      bytes: bytes.requested,
      bytes_arrived: bytes.all,
      requests: bytes.requests,
      ms: end - seek.t0,
      frame_presented: seek.frame !== -1,
      level: seek.level,
      current_time: round(seek.currentTime, 2),
    };
  } finally {
    await context.close();
  }
}

/** 4b. Time and bytes until the duration is known, in a fresh page. */
async function metadataOnce(browser, base, url) {
  const { context, page, bytesBetween } = await throttledPage(browser, base);
  try {
    const meta = await page.evaluate(MP4_METADATA, url);
    await sleep(300);
    const bytes = bytesBetween(meta.t0, meta.at);
    return { bytes: bytes.all, requests: bytes.requests, ms: meta.at - meta.t0, duration: meta.duration };
  } finally {
    await context.close();
  }
}

async function seeks(app, web, moovEnd) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const mp4Url = `${app.base}${web.playback.mp4_url}`;
    const fileBytes = Number((await fetch(mp4Url, { method: 'HEAD' })).headers.get('content-length'));
    const runs = { mp4: [], hls: [], original: [], faststart: [] };
    for (let i = 0; i < ROUNDS; i++) {
      runs.mp4.push(await seekOnce(browser, app.base, mp4Url, 'mp4'));
      runs.hls.push(await seekOnce(browser, app.base, `${app.base}${web.playback.hls_url}`, 'hls'));
      runs.original.push(await metadataOnce(browser, app.base, `${app.base}${moovEnd.stream_url}`));
      runs.faststart.push(await metadataOnce(browser, app.base, `${app.base}${moovEnd.playback.mp4_url}`));
      log(
        `seek round ${i + 1}: MP4 ${(runs.mp4[i].bytes / MB).toFixed(2)} MB ${runs.mp4[i].ms} ms, HLS ${(runs.hls[i].bytes / MB).toFixed(2)} MB ${runs.hls[i].ms} ms (${runs.hls[i].level}p); ` +
          `metadata: moov at end ${(runs.original[i].bytes / MB).toFixed(2)} MB ${runs.original[i].ms} ms, faststart ${(runs.faststart[i].bytes / MB).toFixed(2)} MB ${runs.faststart[i].ms} ms`,
      );
    }
    const summary = (list) => ({
      bytes: list.map((r) => r.bytes),
      ...(list[0].bytes_arrived === undefined ? {} : { bytes_arrived: list.map((r) => r.bytes_arrived) }),
      requests: list.map((r) => r.requests),
      ms: list.map((r) => r.ms),
      bytes_median: Math.round(median(list.map((r) => r.bytes))),
      ms_median: Math.round(median(list.map((r) => r.ms))),
    });
    const mp4 = summary(runs.mp4);
    const hls = summary(runs.hls);
    const original = summary(runs.original);
    const faststart = summary(runs.faststart);
    return {
      seek: {
        link: `${LINK.downMbit} Mbit/s down, ${LINK.upMbit} up, ${LINK.latencyMs} ms latency`,
        to_s: SEEK_TO,
        file_bytes: fileBytes,
        mp4: {
          ...mp4,
          frame_presented: runs.mp4.every((r) => r.frame_presented),
          ratio_file_over_seek: round(fileBytes / mp4.bytes_median, 1),
        },
        hls: { ...hls, frame_presented: runs.hls.every((r) => r.frame_presented), levels: runs.hls.map((r) => r.level) },
        target_bytes: '< 1000000',
      },
      moov_at_end: {
        original_moov_at_end: original,
        faststart_rendition: faststart,
        time_ratio: round(original.ms_median / faststart.ms_median, 1),
        bytes_ratio: round(original.bytes_median / faststart.bytes_median, 1),
      },
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  // The machine's 1-minute load average as each part starts (2 cores; our own work included).
  const loads = {};
  const loadNow = () => round(loadavg()[0], 1);
  const work = mkdtempSync(join(tmpdir(), 'ps-bench-playback-'));
  mkdirSync(join(work, 'data'));
  const apps = [];
  const stop = (app) => {
    app.child.kill();
    rmSync(app.dataDir, { recursive: true, force: true });
  };
  try {
    const media = makeMedia(work);
    log('media made');
    loads.transcode = loadNow();
    const transcode = await transcodeVsCli(media, work);
    loads.remux_step = loadNow();
    const remuxStep = await remuxVsTranscode(media, work);

    // 3. The backlog: a server with 1 worker and one with 2, both up (the idle one costs nothing),
    // drained in the order 1, 2, 2, 1 so that a drift in the machine's other load cancels out.
    loads.drain = loadNow();
    const servers = {};
    for (const concurrency of [1, 2]) {
      const server = await startApp({ PROCESSING_CONCURRENCY: String(concurrency) });
      apps.push(server);
      server.cookie = (await signUp(server, `playback${concurrency}@example.com`)).cookie;
      servers[concurrency] = server;
    }
    const drainS = { 1: [], 2: [] };
    for (const concurrency of [1, 2, 2, 1]) {
      const time = await drain(servers[concurrency], servers[concurrency].cookie, media.clips);
      drainS[concurrency].push(time);
      log(`drain of ${JOBS} with ${concurrency} worker(s): ${time.toFixed(1)} s`);
    }
    stop(servers[1]);
    apps.splice(apps.indexOf(servers[1]), 1);
    const app = servers[2];

    // 2b. Whole runs, one at a time on the idle server.
    loads.whole_run = loadNow();
    const webRun = await wholeRun(app, app.cookie, media.web, 'web60.mp4');
    const aviRun = await wholeRun(app, app.cookie, media.avi, 'src60.avi');
    log(`whole run: web-safe ${webRun.seconds.toFixed(1)} s, needs a transcode ${aviRun.seconds.toFixed(1)} s`);
    const moovEnd = await wholeRun(app, app.cookie, media.moovEnd, 'moov-end.mp4');

    // 4. Seeks and metadata in Chromium.
    loads.seek = loadNow();
    const playback = await seeks(app, webRun.video, moovEnd.video);

    const report = {
      cores: cpus().length,
      rounds: ROUNDS,
      transcode_vs_cli: transcode,
      remux: {
        step: remuxStep,
        whole_run: {
          web_safe_s: round(webRun.seconds),
          needs_transcode_s: round(aviRun.seconds),
          ratio: round(aviRun.seconds / webRun.seconds),
          inputs: `web60.mp4 (${round(statSync(media.web).size / MB, 1)} MB) against the same 60 s as MPEG-4 Part 2 AVI (${round(statSync(media.avi).size / MB, 1)} MB)`,
        },
      },
      drain: {
        jobs: JOBS,
        clip: `${CLIP_S} s 1280x720 30 fps MPEG-4 Part 2 + MP3 AVI (probe, transcode, 360p rung transcoded, 720p rung cut, cover)`,
        order: '1, 2, 2, 1',
        one_worker_s: drainS[1].map((v) => round(v, 1)),
        two_workers_s: drainS[2].map((v) => round(v, 1)),
        ratio: round(drainS[1].reduce((a, b) => a + b) / drainS[2].reduce((a, b) => a + b)),
      },
      ...playback,
      load_average_1min: loads,
      total_s: Math.round((Date.now() - started) / 1000),
    };
    console.log(JSON.stringify(report, null, 2));
    // Written as `prettier --check` wants it (short arrays on one line).
    const file = 'bench/playback-result.json';
    writeFileSync(file, await prettier.format(JSON.stringify(report), { ...(await prettier.resolveConfig(file)), filepath: file }));
  } finally {
    for (const app of apps) stop(app);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
