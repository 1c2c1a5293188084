// Upload benchmark: a 1 GiB video over loopback to the real server (built in dist/) against a bare
// node:http server that pipes the same request body to a file, measured in the same run.
// Reports the server's peak RSS over its idle RSS and the throughput ratio. `npm run bench`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { freePort, rssOf, sleep, waitFor } from './lib.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIZE = Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 ** 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHUNK = Buffer.alloc(256 * 1024, 1);
const MiB = 1024 * 1024;

/** Sends a multipart body of SIZE file bytes (an MP4 head, then filler); resolves with seconds taken. */
function upload(port, path, cookie, pid, samples) {
  const boundary = 'bench-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="bench.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const ftyp = Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2', 'latin1');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const sampler = setInterval(() => samples.push(rssOf(pid)), 20);
    const req = request(
      {
        port,
        path,
        method: 'POST',
        headers: {
          Cookie: cookie,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + SIZE + tail.length,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          clearInterval(sampler);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          if (res.statusCode !== 200 || (body && JSON.parse(body).errno !== 0))
            reject(new Error(`upload answered ${res.statusCode} ${body}`));
          else resolve(seconds);
        });
      },
    );
    req.on('error', reject);
    req.write(head);
    req.write(ftyp);
    let sent = ftyp.length;
    const pump = () => {
      while (sent < SIZE) {
        const piece = SIZE - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, SIZE - sent);
        sent += piece.length;
        if (!req.write(piece)) return req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

function start(command, args, env) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

const BARE = `
import { createServer } from 'node:http';
import { createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
let n = 0;
createServer(async (req, res) => {
  if (req.method !== 'POST') return res.end('ok');
  const file = process.env.OUT + '/' + n++;
  await pipeline(req, createWriteStream(file));
  rmSync(file);
  res.setHeader('Content-Type', 'application/json');
  res.end('{"errno":0}');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'ps-bench-'));
  const results = { app: [], bare: [], idle: 0, peak: 0 };
  try {
    // The bare baseline.
    const barePort = await freePort();
    const bare = start(process.execPath, ['--input-type=module', '-e', BARE], { PORT: String(barePort), OUT: work });
    await waitFor(`http://127.0.0.1:${barePort}/`);

    // The real server on the embedded defaults.
    const port = await freePort();
    const dataDir = join(work, 'data');
    const app = start(process.execPath, ['dist/src/main.js'], {
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      SMTP_URL: '',
      NODE_ENV: 'development',
      UPLOAD_MAX_BYTES: String(SIZE * 2),
      FFPROBE_PATH: '/nonexistent', // measure the upload path, not a probe of filler bytes
    });
    await waitFor(`http://127.0.0.1:${port}/api/health`);
    const api = `http://127.0.0.1:${port}/api/account`;
    const email = 'bench@example.com';
    await fetch(`${api}/sendvcode?email=${email}`, { method: 'POST' });
    const outbox = join(dataDir, 'outbox');
    const code = readFileSync(join(outbox, readdirSync(outbox)[0]), 'utf8').match(/^Verification code: (\d{6})$/m)[1];
    const form = (fields) => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    await fetch(`${api}/register`, form({ email, vcode: code, username: 'bench', password_1: 'secret123', password_2: 'secret123' }));
    const login = await fetch(`${api}/login`, form({ user: email, password: 'secret123' }));
    const cookie = login.headers.get('set-cookie').split(';')[0];

    await sleep(1500);
    const idleSamples = [];
    for (let i = 0; i < 10; i++, await sleep(50)) idleSamples.push(rssOf(app.pid));
    results.idle = Math.max(...idleSamples);

    for (let round = 0; round < ROUNDS; round++) {
      const ignored = [];
      results.bare.push(SIZE / (await upload(barePort, '/', '', bare.pid, ignored)));
      const samples = [];
      results.app.push(SIZE / (await upload(port, '/api/videos/video_upload', cookie, app.pid, samples)));
      results.peak = Math.max(results.peak, ...samples);
      await sleep(500);
    }
    bare.kill();
    app.kill();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // Each server round against the bare round just before it (same disk and page-cache state);
  // the median of those pairs resists the noise of a shared disk.
  const pairs = results.app.map((app, i) => app / results.bare[i]).sort((a, b) => a - b);
  const ratio = pairs[Math.floor(pairs.length / 2)];
  const delta = results.peak - results.idle;
  const report = {
    upload_bytes: SIZE,
    rounds: ROUNDS,
    idle_rss_mib: +(results.idle / MiB).toFixed(1),
    peak_rss_mib: +(results.peak / MiB).toFixed(1),
    peak_over_idle_mib: +(delta / MiB).toFixed(1),
    app_mib_s: results.app.map((v) => +(v / MiB).toFixed(0)),
    bare_mib_s: results.bare.map((v) => +(v / MiB).toFixed(0)),
    round_ratios: pairs.map((r) => +r.toFixed(2)),
    throughput_ratio: +ratio.toFixed(2),
    targets: { peak_over_idle_mib: '<= 64', throughput_ratio: '>= 0.8' },
  };
  console.log(JSON.stringify(report, null, 2));
  writeFileSync('bench/upload-result.json', `${JSON.stringify(report, null, 2)}\n`);
}

await main();
