// Shared by the benchmark scripts: start the built server as a child process, sign a user in.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export const rssOf = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;

export async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** The built server on a free port, with its own DATA_DIR; DATABASE_URL / REDIS_URL as given. */
/**
 * The built server on the embedded defaults plus `env`, as its own process. With `traceGc`, V8
 * reports every collection and `liveHeapMiB()` gives the heap left after the last full one (the
 * live data: what a leak would grow), read from the trace without disturbing the process.
 * `nodeArgs` go to node (e.g. `--cpu-prof`).
 */
export async function startApp(env = {}, { traceGc = false, nodeArgs = [] } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-'));
  const child = spawn(process.execPath, [...(traceGc ? ['--trace-gc'] : []), ...nodeArgs, 'dist/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      SMTP_URL: '',
      NODE_ENV: 'development',
      TRUST_PROXY: '1',
      MALLOC_ARENA_MAX: '2', // as npm start sets it
      ...env,
    },
    stdio: ['ignore', traceGc ? 'pipe' : 'ignore', 'inherit'],
  });
  let liveHeap = NaN;
  child.stdout?.setEncoding('utf8').on('data', (chunk) => {
    for (const match of chunk.matchAll(/Mark-Compact[^\n]*?-> ([\d.]+) \(/g)) liveHeap = Number(match[1]);
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/api/health`);
  return { child, port, base, dataDir, liveHeapMiB: () => liveHeap };
}

export const randomIp = () => `10.${(Math.random() * 255) | 0}.${(Math.random() * 255) | 0}.${(Math.random() * 255) | 0}`;

const form = (fields, ip) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': ip },
  body: new URLSearchParams(fields),
});

/** Registers through the API (the code from the outbox) and logs in; resolves with the cookie. */
export async function signUp(app, email, password = 'secret123') {
  const ip = randomIp();
  const api = `${app.base}/api/account`;
  await fetch(`${api}/sendvcode`, form({ email }, ip));
  const outbox = join(app.dataDir, 'outbox');
  const mail = readdirSync(outbox)
    .map((name) => readFileSync(join(outbox, name), 'utf8'))
    .find((text) => text.includes(`To: ${email}`));
  const vcode = mail.match(/^Verification code: (\d{6})$/m)[1];
  const registered = await (
    await fetch(`${api}/register`, form({ email, vcode, username: 'bench', password_1: password, password_2: password }, ip))
  ).json();
  const login = await fetch(`${api}/login`, form({ user: email, password }, ip));
  // Every cookie the login sets (the session's, and any other it may add), as a browser sends them back.
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  return { email, cookie, uid: registered.uid, password };
}

/**
 * autocannon requests that log in as one account per connection: a login holds one of its
 * account's five attempt slots until the password is checked, so more at once to one account would
 * be refused (1005) without hashing. `failed` is called for any answer that is not errno 0.
 */
export function loginsPerConnection(accounts, failed) {
  let next = 0;
  const bodies = accounts.map(({ email, password }) => new URLSearchParams({ user: email, password }).toString());
  return [
    {
      method: 'POST',
      path: '/api/account/login',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      // Each login from its own address, as many people's would be: one address may try 30 a minute.
      setupRequest: (req, context) => {
        context.account ??= next++ % bodies.length;
        return { ...req, body: bodies[context.account], headers: { ...req.headers, 'X-Forwarded-For': randomIp() } };
      },
      onResponse: (status, body) => {
        if (status !== 200 || JSON.parse(body).errno !== 0) failed();
      },
    },
  ];
}

/** A 1-second 160x120 MP4 made by ffmpeg. */
export function clip() {
  const file = join(mkdtempSync(join(tmpdir(), 'ps-clip-')), 'clip.mp4');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=1:size=160x120:rate=10',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  return readFileSync(file);
}
