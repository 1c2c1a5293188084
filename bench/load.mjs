// Load: a mixed workload (me, list, detail, range reads, small uploads, with logins beside them)
// held on one instance for LOAD_SECONDS (default 180): first with a trickle of logins, then with a
// login storm (argon2). Reports requests/s, p50/p99 of the other endpoints, the logins' own
// figures, errors and RSS at start and end of each phase.
// Run on MariaDB + Redis: DATABASE_URL=mysql://root@127.0.0.1:3306/test REDIS_URL=redis://127.0.0.1:6379 npm run load
// (it leaves thousands of accounts and videos behind: use a database you can drop afterwards).
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { clip, loginsPerConnection, rssOf, signUp, sleep, startApp } from './lib.mjs';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 180);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 16);
const WARMUP_SECONDS = Number(process.env.LOAD_WARMUP_SECONDS ?? 30);
const MiB = 1024 * 1024;

function multipart(file) {
  const boundary = 'load-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="load.mp4"\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function run(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

async function main() {
  const app = await startApp({ PROCESSING_CONCURRENCY: '1' }, { traceGc: true });
  try {
    const video = clip();
    const run_ = Date.now().toString(36); // fresh accounts on a shared database
    const owner = await signUp(app, `owner-${run_}@example.com`);
    const upload = multipart(video);
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${app.base}/api/videos/video_upload`, {
        method: 'POST',
        headers: { Cookie: owner.cookie, 'Content-Type': upload.type },
        body: upload.body,
      });
      ids.push((await res.json()).video.id);
    }
    const stormers = [];
    for (let i = 0; i < 8; i++) stormers.push(await signUp(app, `storm${i}-${run_}@example.com`));

    let errnoErrors = 0;
    let stormErrors = 0;
    const json = (status, body) => {
      try {
        if (status >= 400 || (body && JSON.parse(body).errno !== 0)) errnoErrors++;
      } catch {
        errnoErrors++;
      }
    };
    const login = new URLSearchParams({ user: `owner-${run_}@example.com`, password: owner.password }).toString();
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const mixed = [
      { method: 'GET', path: '/api/account/me', headers: { Cookie: owner.cookie }, onResponse: json },
      { method: 'GET', path: `/api/videos?uid=${owner.uid}&page=1&page_size=20`, onResponse: json },
      { method: 'GET', path: `/api/videos/${ids[0]}`, onResponse: json },
      { method: 'GET', path: `/api/videos/${ids[1]}/stream`, headers: { Range: 'bytes=0-4095' } },
      { method: 'GET', path: `/api/videos/${ids[2]}`, onResponse: json },
      { method: 'GET', path: `/api/account/me`, headers: { Cookie: owner.cookie }, onResponse: json },
      { method: 'GET', path: `/api/videos/${ids[3]}/stream`, headers: { Range: 'bytes=1000-' } },
    ];
    // LOAD_UPLOADS=0 leaves the small uploads out, to tell their share of the figures.
    if (process.env.LOAD_UPLOADS !== '0') {
      mixed.push({
        method: 'POST',
        path: '/api/videos/video_upload',
        headers: { Cookie: owner.cookie, 'Content-Type': upload.type },
        body: upload.body,
        onResponse: json,
      });
    }
    const storm = loginsPerConnection(stormers, () => stormErrors++);

    // The other endpoints are measured on their own; logins run beside them: a trickle from the
    // owner first, then a storm over 8 accounts.
    const trickle = [{ method: 'POST', path: '/api/account/login', headers: form, body: login, onResponse: json }];
    // Warm-up: V8's heap and the connection pools grow to their working size before anything is
    // measured, so that "RSS at start and end" shows a trend, not the warm-up.
    await run({ url: app.base, connections: CONNECTIONS, duration: WARMUP_SECONDS, requests: mixed });
    await sleep(1000);
    const phases = [];
    for (const withStorm of [false, true]) {
      errnoErrors = 0;
      stormErrors = 0;
      const rssStart = rssOf(app.child.pid);
      const heapStart = app.liveHeapMiB();
      const duration = Math.max(5, Math.round(SECONDS / 2));
      // RSS saws up and down with V8's collections: sampled every second, compared by medians.
      const rss = [];
      const sampler = setInterval(() => rss.push(rssOf(app.child.pid) / MiB), 1000);
      const [result, logins] = await Promise.all([
        run({ url: app.base, connections: CONNECTIONS, duration, requests: mixed }),
        withStorm
          ? run({ url: app.base, connections: 8, duration, requests: storm })
          : run({ url: app.base, connections: 1, duration, requests: trickle }),
      ]);
      clearInterval(sampler);
      const rssEnd = rssOf(app.child.pid);
      const heapEnd = app.liveHeapMiB();
      const fifth = Math.max(1, Math.floor(rss.length / 5));
      phases.push({
        phase: withStorm ? 'with a login storm' : 'with a login trickle',
        seconds: duration,
        requests_per_s: Math.round(result.requests.average),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        non_2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        errno_errors: errnoErrors,
        logins_per_s: Math.round(logins.requests.average),
        login_p99_ms: logins.latency.p99,
        login_errors: logins.non2xx + logins.errors + logins.timeouts + stormErrors,
        rss_start_mib: +(rssStart / MiB).toFixed(1),
        rss_end_mib: +(rssEnd / MiB).toFixed(1),
        rss_first_fifth_median_mib: +median(rss.slice(0, fifth)).toFixed(1),
        rss_last_fifth_median_mib: +median(rss.slice(-fifth)).toFixed(1),
        rss_min_mib: +Math.min(...rss).toFixed(1),
        rss_max_mib: +Math.max(...rss).toFixed(1),
        live_heap_start_mib: heapStart,
        live_heap_end_mib: heapEnd,
      });
      await sleep(1000);
    }
    const report = {
      warmup_seconds: WARMUP_SECONDS,
      database: process.env.DATABASE_URL ? 'mysql' : 'sqlite',
      redis: process.env.REDIS_URL ? 'on' : 'off',
      connections: CONNECTIONS,
      phases,
      p99_ratio_storm_over_calm: +(phases[1].p99_ms / phases[0].p99_ms).toFixed(2),
    };
    console.log(JSON.stringify(report, null, 2));
    writeFileSync('bench/load-result.json', `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    app.child.kill();
  }
}

await main();
