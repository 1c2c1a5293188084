// Upload benchmark: a large video over loopback to the real server (built in dist/) against a bare
// node:http server that pipes the same request body to a file, measured in the same run.
// Honest bytes: incompressible (AES-256-CTR noise, as random as a compressed video, sent without
// any work per byte on the client), every file kept on disk for the whole run (the server's and the
// baseline's, as on a user's disk: the page cache fills and writeback competes), rounds alternated
// (bare then app, app then bare, ...) and the median of the per-round ratios. Each upload's sha256,
// as the server answers it, must equal the sent one. `npm run bench`.
//
// Knobs: BENCH_UPLOAD_BYTES (default 1 GiB), BENCH_ROUNDS (default 5), BENCH_UPLOAD_CHUNK (the
// client's write size, default 1 MiB), BENCH_CPU_PROF=<dir> (the server runs with --cpu-prof into
// that folder), BENCH_UPLOAD_OUT (the result file, default bench/upload-result.json).
import { createCipheriv, createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, rssOf, signUp, sleep, startApp, waitFor } from './lib.mjs';

const SIZE = Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 ** 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHUNK = Number(process.env.BENCH_UPLOAD_CHUNK ?? 1024 * 1024);
const OUT = process.env.BENCH_UPLOAD_OUT ?? 'bench/upload-result.json';
const MiB = 1024 * 1024;
// The file: an ftyp box, an mdat box running to the end of the file (size 0), then noise:
// AES-256-CTR output (a fixed key, so every round sends the same bytes), made once into a 64 MiB
// pool and sent as slices at shifting offsets, so that no generator work or allocation competes
// with the server for the 2 cores, and no 64 MiB stretch of the file repeats.
const FTYP = Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x00mdat', 'latin1');
const POOL_BYTES = 64 * MiB;
const poolStarted = process.hrtime.bigint();
const POOL = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 0)).update(Buffer.alloc(POOL_BYTES + CHUNK));
const AES_MIB_S = POOL.length / MiB / (Number(process.hrtime.bigint() - poolStarted) / 1e9);
/** Odd, so that slices never line up with an earlier one. */
const STEP = CHUNK + 4099;

/** The SIZE file bytes, CHUNK at a time: the same noise every time, never held whole. */
function* fileBytes() {
  yield FTYP;
  let at = 0;
  for (let left = SIZE - FTYP.length; left > 0; left -= CHUNK) {
    yield POOL.subarray(at, at + Math.min(CHUNK, left));
    at = (at + STEP) % POOL_BYTES;
  }
}

/** How fast the generator alone runs (MiB/s), how fast sha256 takes its bytes, and their sha256. */
function measureGenerator() {
  let started = process.hrtime.bigint();
  let bytes = 0;
  for (const piece of fileBytes()) bytes += piece.length;
  const mibS = bytes / MiB / (Number(process.hrtime.bigint() - started) / 1e9);
  const hash = createHash('sha256');
  started = process.hrtime.bigint();
  for (const piece of fileBytes()) hash.update(piece);
  const hashMibS = SIZE / MiB / (Number(process.hrtime.bigint() - started) / 1e9);
  return { mibS, hashMibS, sha256: hash.digest('hex') };
}

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** Sends the file in a multipart body; resolves with the seconds taken and the parsed answer. */
function upload(port, path, cookie, pid, samples, serverPid) {
  const boundary = '----bench-boundary-7MA4YWxkTrZu0gW';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="bench.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const cpuBefore = cpuOf(serverPid);
    const sampler = pid ? setInterval(() => samples.push(rssOf(pid)), 20) : null;
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
          const answer = body ? JSON.parse(body) : {};
          if (res.statusCode !== 200 || answer.errno !== 0) reject(new Error(`upload answered ${res.statusCode} ${body}`));
          else resolve({ seconds, answer, cpu: cpuOf(serverPid) - cpuBefore });
        });
      },
    );
    req.on('error', reject);
    req.write(head);
    const pieces = fileBytes();
    const pump = () => {
      for (let next = pieces.next(); !next.done; next = pieces.next()) if (!req.write(next.value)) return req.once('drain', pump);
      req.end(tail);
    };
    pump();
  });
}

// The baseline: node:http piping the request body to a file, kept (as the server keeps its files).
const BARE = `
import { createServer } from 'node:http';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
let n = 0;
createServer(async (req, res) => {
  if (req.method !== 'POST') return res.end('ok');
  const file = createWriteStream(process.env.OUT + '/' + n++);
  await pipeline(req, file);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ errno: 0, bytes: file.bytesWritten }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

async function main() {
  const generator = measureGenerator();
  console.error(
    `generator alone: ${generator.mibS.toFixed(0)} MiB/s (AES-CTR into the pool: ${AES_MIB_S.toFixed(0)} MiB/s; sha256 of the stream: ${generator.hashMibS.toFixed(0)} MiB/s), sha256 ${generator.sha256}`,
  );
  const bareDir = mkdtempSync(join(tmpdir(), 'ps-bench-bare-'));
  const barePort = await freePort();
  const bare = spawn(process.execPath, ['--input-type=module', '-e', BARE], {
    env: { ...process.env, PORT: String(barePort), OUT: bareDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const profileDir = process.env.BENCH_CPU_PROF;
  const app = await startApp(
    { DATABASE_URL: '', REDIS_URL: '', UPLOAD_MAX_BYTES: String(SIZE * 2), FFPROBE_PATH: '/nonexistent' }, // the upload path, not a probe of noise
    { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] },
  );
  const results = { app: [], bare: [], appCpu: [], bareCpu: [], order: [], idle: 0, peak: 0, load: [] };
  const kept = { app: 0, bare: 0 };
  try {
    await waitFor(`http://127.0.0.1:${barePort}/`);
    const { cookie } = await signUp(app, 'bench@example.com');
    await sleep(1500);
    const idleSamples = [];
    for (let i = 0; i < 10; i++, await sleep(50)) idleSamples.push(rssOf(app.child.pid));
    results.idle = Math.max(...idleSamples);

    const runBare = async () => {
      const { seconds, answer, cpu } = await upload(barePort, '/', '', null, [], bare.pid);
      if (answer.bytes < SIZE) throw new Error(`the bare server wrote ${answer.bytes} bytes`);
      kept.bare += answer.bytes;
      results.bare.push(SIZE / seconds);
      results.bareCpu.push(cpu / (SIZE / 1024 ** 3));
    };
    const runApp = async () => {
      const samples = [];
      const { seconds, answer, cpu } = await upload(app.port, '/api/videos/video_upload', cookie, app.child.pid, samples, app.child.pid);
      const { sha256, id } = answer.video;
      if (sha256 !== generator.sha256) throw new Error(`the server stored sha256 ${sha256}, sent ${generator.sha256}`);
      const size = statSync(join(app.dataDir, 'videos', 'videos', id)).size;
      if (size !== SIZE) throw new Error(`the server kept ${size} bytes of ${SIZE}`);
      kept.app += size;
      results.app.push(SIZE / seconds);
      results.appCpu.push(cpu / (SIZE / 1024 ** 3));
      results.peak = Math.max(results.peak, ...samples);
    };
    for (let round = 0; round < ROUNDS; round++) {
      results.load.push(loadavg()[0]);
      const order = round % 2 === 0 ? [runBare, runApp] : [runApp, runBare];
      results.order.push(round % 2 === 0 ? 'bare, app' : 'app, bare');
      for (const run of order) {
        await run();
        await sleep(500);
      }
      console.error(
        `round ${round + 1}: app ${(results.app[round] / MiB).toFixed(0)} MiB/s (${results.appCpu[round].toFixed(2)} CPU s/GiB), bare ${(results.bare[round] / MiB).toFixed(0)} MiB/s (${results.bareCpu[round].toFixed(2)} CPU s/GiB), load ${loadavg()[0].toFixed(1)}`,
      );
    }
  } finally {
    app.child.kill();
    bare.kill();
    await sleep(500);
    rmSync(app.dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }

  const ratios = results.app.map((app, i) => app / results.bare[i]);
  const sorted = [...ratios].sort((a, b) => a - b);
  const ratio = sorted[Math.floor(sorted.length / 2)];
  const delta = results.peak - results.idle;
  const report = {
    upload_bytes: SIZE,
    rounds: ROUNDS,
    bytes: 'incompressible: AES-256-CTR noise (a 64 MiB pool, shifting slices) after an ftyp box and an mdat header',
    client_chunk_bytes: CHUNK,
    generator_mib_s: +generator.mibS.toFixed(0),
    aes_ctr_mib_s: +AES_MIB_S.toFixed(0),
    sha256_mib_s: +generator.hashMibS.toFixed(0),
    sha256_checked: true,
    kept_on_disk_gib: +((kept.app + kept.bare) / 1024 ** 3).toFixed(1),
    order: results.order,
    load_average_1min: results.load.map((l) => +l.toFixed(2)),
    idle_rss_mib: +(results.idle / MiB).toFixed(1),
    peak_rss_mib: +(results.peak / MiB).toFixed(1),
    peak_over_idle_mib: +(delta / MiB).toFixed(1),
    app_mib_s: results.app.map((v) => +(v / MiB).toFixed(0)),
    bare_mib_s: results.bare.map((v) => +(v / MiB).toFixed(0)),
    app_cpu_s_per_gib: results.appCpu.map((v) => +v.toFixed(2)),
    bare_cpu_s_per_gib: results.bareCpu.map((v) => +v.toFixed(2)),
    ratios_in_order: ratios.map((r) => +r.toFixed(2)),
    round_ratios: sorted.map((r) => +r.toFixed(2)),
    throughput_ratio: +ratio.toFixed(2),
    targets: { peak_over_idle_mib: '<= 64', throughput_ratio: '>= 0.8' },
  };
  console.log(JSON.stringify(report, null, 2));
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
}

await main();
