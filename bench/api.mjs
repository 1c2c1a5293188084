// API throughput against baselines measured in the same run: a video detail (anonymous) and
// `me` (logged in) against a minimal NestJS app and a bare node:http server answering the same
// bytes, and login against raw argon2 verifies with the same parameters and concurrency.
// Writes bench/api-result.json.
import { hash, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { clip, freePort, loginsPerConnection, randomIp, signUp, startApp, waitFor } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const ROUNDS = 3;
const CORES = availableParallelism();
const run = (options) =>
  new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));

/** bench/minimal-nest.mjs answering `body` on every GET, as its own process. */
async function minimalNest(body) {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/minimal-nest.mjs'], {
    env: { ...process.env, PORT: String(port), BODY: body },
    stdio: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/up`);
  return { child, base };
}

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

/** CPU time (user + system) of process `pid` so far, in ms. */
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
};

/**
 * Requests per second of `url` (with `headers`) served by process `pid`, its p99, and the
 * server's CPU per request: what it costs, whatever else shares the machine.
 */
async function rate(pid, url, headers = {}) {
  const before = cpuMs(pid);
  const result = await run({ url, headers, connections: 16, duration: SECONDS / ROUNDS });
  const cpu = (cpuMs(pid) - before) / result.requests.total;
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, cpu };
}

/** CPU time (user, system) of each thread of process `pid` so far, in ms, by thread id. */
const threadCpu = (pid) =>
  new Map(
    readdirSync(`/proc/${pid}/task`).map((tid) => {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      return [Number(tid), { user: Number(fields[11]) * (1000 / CLOCK_TICKS), system: Number(fields[12]) * (1000 / CLOCK_TICKS) }];
    }),
  );

/**
 * Where a login's CPU went between two threadCpu readings, per login: the event loop (the main
 * thread), the hashing threads (the `CORES` busiest others), and the rest (V8's GC helpers, libuv).
 */
function loginCpu(pid, before, after, logins) {
  const spent = [...after].map(([tid, cpu]) => {
    const was = before.get(tid) ?? { user: 0, system: 0 };
    return { tid, user: cpu.user - was.user, system: cpu.system - was.system };
  });
  const main = spent.find((thread) => thread.tid === pid);
  const others = spent.filter((thread) => thread.tid !== pid).sort((a, b) => b.user + b.system - (a.user + a.system));
  const sum = (threads, key) => threads.reduce((total, thread) => total + thread[key], 0) / logins;
  const hashing = others.slice(0, CORES);
  return {
    event_loop_ms: (main.user + main.system) / logins,
    hashing_user_ms: sum(hashing, 'user'),
    hashing_system_ms: sum(hashing, 'system'),
    other_threads_ms: sum(others.slice(CORES), 'user') + sum(others.slice(CORES), 'system'),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * The app, the minimal Nest app and bare node:http, one after the other in ROUNDS rounds (never
 * two loads at once): this machine's speed drifts by a fifth within a minute, so a ratio is taken
 * within a round, and the figures are the rounds' medians.
 */
async function compare(targets) {
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round = [];
    for (const { pid, url, headers } of targets) round.push(await rate(pid, url, headers));
    rounds.push(round);
  }
  const [app, nest, bare] = [0, 1, 2].map((k) => ({
    rps: median(rounds.map((round) => round[k].rps)),
    cpu: median(rounds.map((round) => round[k].cpu)),
    p99: median(rounds.map((round) => round[k].p99)),
    non2xx: rounds.reduce((sum, round) => sum + round[k].non2xx, 0),
  }));
  return {
    app_cpu_ms_per_request: +app.cpu.toFixed(3),
    minimal_nest_cpu_ms_per_request: +nest.cpu.toFixed(3),
    cpu_ratio_nest_over_app: +median(rounds.map(([a, n]) => n.cpu / a.cpu)).toFixed(2),
    app_rps: Math.round(app.rps),
    minimal_nest_rps: Math.round(nest.rps),
    bare_rps: Math.round(bare.rps),
    ratio_to_nest: +median(rounds.map(([a, n]) => a.rps / n.rps)).toFixed(2),
    ratio_to_nest_rounds: rounds.map(([a, n]) => +(a.rps / n.rps).toFixed(2)),
    ratio_to_bare: +median(rounds.map(([a, , b]) => a.rps / b.rps)).toFixed(2),
    app_p99_ms: app.p99,
    non_2xx: app.non2xx,
  };
}

async function argon2Rate(concurrency, seconds) {
  const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 }; // as src/account/password.ts
  const stored = await hash('secret123', options);
  let count = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await verify(stored, 'secret123');
        count++;
      }
    }),
  );
  return count / seconds;
}

async function main() {
  const app = await startApp();
  const bareServer = createServer();
  try {
    const email = `api-${Date.now().toString(36)}@example.com`;
    const owner = await signUp(app, email);
    const body = new FormData();
    body.append('video', new Blob([clip()]), 'clip.mp4');
    const { video } = await (
      await fetch(`${app.base}/api/videos/video_upload`, { method: 'POST', headers: { Cookie: owner.cookie }, body })
    ).json();
    // Processing done, so that its work is not measured with the requests.
    for (let i = 0; i < 600 && (await (await fetch(`${app.base}/api/videos/${video.id}`)).json()).video.status === 'processing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const detailUrl = `${app.base}/api/videos/${video.id}`;
    const meUrl = `${app.base}/api/account/me`;
    const detail = await (await fetch(detailUrl)).text();
    const me = await (await fetch(meUrl, { headers: { Cookie: owner.cookie } })).text();

    const barePort = await freePort();
    bareServer.on('request', (req, res) => {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(req.url.endsWith('/me') ? me : detail);
    });
    await new Promise((resolve) => bareServer.listen(barePort, '127.0.0.1', resolve));
    const bareBase = `http://127.0.0.1:${barePort}`;

    // Each shape against its own baselines, one after the other (never two loads at once).
    const nestDetail = await minimalNest(detail);
    const detailFigures = await compare([
      { pid: app.child.pid, url: detailUrl },
      { pid: nestDetail.child.pid, url: `${nestDetail.base}/api/videos/x` },
      { pid: process.pid, url: `${bareBase}/api/videos/x` },
    ]);
    nestDetail.child.kill();
    const nestMe = await minimalNest(me);
    const meFigures = await compare([
      { pid: app.child.pid, url: meUrl, headers: { Cookie: owner.cookie } },
      { pid: nestMe.child.pid, url: `${nestMe.base}/api/account/me`, headers: { Cookie: owner.cookie } },
      { pid: process.pid, url: `${bareBase}/api/account/me` },
    ]);
    nestMe.child.kill();
    const accounts = [owner];
    for (let i = 1; i < 8; i++) accounts.push(await signUp(app, `api${i}-${Date.now().toString(36)}@example.com`));
    let loginErrors = 0;
    const logins = (duration) =>
      run({ url: app.base, connections: 8, duration, requests: loginsPerConnection(accounts, () => loginErrors++) });
    // Logins against raw verifies in this process (the same concurrency: 8 at a time), alternated.
    const loginRounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const before = threadCpu(app.child.pid);
      const generator = process.cpuUsage();
      const login = await logins(SECONDS / ROUNDS);
      const { user, system } = process.cpuUsage(generator);
      const cpu = {
        ...loginCpu(app.child.pid, before, threadCpu(app.child.pid), login.requests.total),
        // autocannon, in this process, on the same cores.
        load_generator_ms: (user + system) / 1000 / login.requests.total,
      };
      loginRounds.push({
        login,
        cpu,
        verifies: await argon2Rate(8, SECONDS / ROUNDS),
        perCore: await argon2Rate(CORES, SECONDS / ROUNDS / 2),
      });
    }
    const login = loginRounds.map((round) => round.login);
    // What a login storm costs everyone else: a visitor's detail alone, then beside 8 logins at a time.
    const visitor = () => run({ url: detailUrl, connections: 2, duration: SECONDS / ROUNDS });
    const calm = await visitor();
    const [stormy] = await Promise.all([visitor(), logins(SECONDS / ROUNDS)]);
    // Login for an account that does not exist runs a dummy argon2 verify, so that it takes as long as
    // one that does (a right password here: wrong ones would lock the account after five).
    const loginAs = (user, password) =>
      run({
        url: app.base,
        connections: 2,
        duration: Math.max(3, SECONDS / 2),
        requests: [
          {
            method: 'POST',
            path: '/api/account/login',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ user, password }).toString(),
            setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'X-Forwarded-For': randomIp() } }),
          },
        ],
      });
    const unknown = await loginAs(`nobody-${Date.now().toString(36)}@example.com`, owner.password);
    const known = await loginAs(email, owner.password);
    app.child.kill();
    const report = {
      seconds: SECONDS,
      detail: detailFigures,
      me: meFigures,
      login_timing: {
        unknown_account_p50_ms: unknown.latency.p50,
        known_account_p50_ms: known.latency.p50,
        ratio: +(unknown.latency.p50 / known.latency.p50).toFixed(2),
      },
      login: {
        app_rps: Math.round(median(login.map((round) => round.requests.average))),
        argon2_verifies_per_s: Math.round(median(loginRounds.map((round) => round.verifies))),
        ratio: +median(loginRounds.map((round) => round.login.requests.average / round.verifies)).toFixed(2),
        ratio_rounds: loginRounds.map((round) => +(round.login.requests.average / round.verifies).toFixed(2)),
        // The server hashes on one thread per core (src/account/password.ts).
        argon2_one_per_core_per_s: Math.round(median(loginRounds.map((round) => round.perCore))),
        ratio_to_one_per_core: +median(loginRounds.map((round) => round.login.requests.average / round.perCore)).toFixed(2),
        p99_ms: median(login.map((round) => round.latency.p99)),
        // The server's CPU per login, by thread (medians of the rounds).
        cpu_ms_per_login: Object.fromEntries(
          Object.keys(loginRounds[0].cpu).map((key) => [key, +median(loginRounds.map((round) => round.cpu[key])).toFixed(2)]),
        ),
        non_2xx: login.reduce((sum, round) => sum + round.non2xx, 0),
        errno_errors: loginErrors,
      },
      detail_during_logins: {
        alone_p50_ms: calm.latency.p50,
        alone_p99_ms: calm.latency.p99,
        beside_logins_p50_ms: stormy.latency.p50,
        beside_logins_p99_ms: stormy.latency.p99,
        non_2xx: calm.non2xx + stormy.non2xx,
      },
    };
    console.log(JSON.stringify(report, null, 2));
    writeFileSync('bench/api-result.json', `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    app.child.kill();
    bareServer.close();
  }
}

await main();
