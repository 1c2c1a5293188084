// API throughput against baselines measured in the same run: a video detail (JSON) against a bare
// node:http server answering the same bytes, and login against raw argon2 verifies with the same
// parameters. Writes bench/api-result.json.
import { hash, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { clip, freePort, loginsPerConnection, signUp, startApp } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const run = (options) =>
  new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));

async function argon2Rate() {
  const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 }; // as src/account/password.ts
  const stored = await hash('secret123', options);
  let count = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < end) {
        await verify(stored, 'secret123');
        count++;
      }
    }),
  );
  return count / SECONDS;
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
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const detail = await (await fetch(`${app.base}/api/videos/${video.id}`)).text();

    const barePort = await freePort();
    bareServer.on('request', (_req, res) => {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(detail);
    });
    await new Promise((resolve) => bareServer.listen(barePort, '127.0.0.1', resolve));

    const bare = await run({ url: `http://127.0.0.1:${barePort}/api/videos/${video.id}`, connections: 16, duration: SECONDS });
    const json = await run({ url: `${app.base}/api/videos/${video.id}`, connections: 16, duration: SECONDS });
    const accounts = [owner];
    for (let i = 1; i < 8; i++) accounts.push(await signUp(app, `api${i}-${Date.now().toString(36)}@example.com`));
    let loginErrors = 0;
    const login = await run({
      url: app.base,
      connections: 8,
      duration: SECONDS,
      requests: loginsPerConnection(accounts, () => loginErrors++),
    });
    // Login for an account that does not exist runs a dummy argon2 verify, so that it takes as long as
    // one that does (a right password here: wrong ones would lock the account after five).
    const loginAs = (user, password) =>
      run({
        url: `${app.base}/api/account/login`,
        method: 'POST',
        connections: 2,
        duration: Math.max(3, SECONDS / 2),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user, password }).toString(),
      });
    const unknown = await loginAs(`nobody-${Date.now().toString(36)}@example.com`, owner.password);
    const known = await loginAs(email, owner.password);
    app.child.kill();
    const verifies = await argon2Rate();
    const report = {
      seconds: SECONDS,
      json: {
        app_rps: Math.round(json.requests.average),
        bare_rps: Math.round(bare.requests.average),
        ratio: +(json.requests.average / bare.requests.average).toFixed(2),
        app_p99_ms: json.latency.p99,
        bare_p99_ms: bare.latency.p99,
        non_2xx: json.non2xx,
      },
      login_timing: {
        unknown_account_p50_ms: unknown.latency.p50,
        known_account_p50_ms: known.latency.p50,
        ratio: +(unknown.latency.p50 / known.latency.p50).toFixed(2),
      },
      login: {
        app_rps: Math.round(login.requests.average),
        argon2_verifies_per_s: Math.round(verifies),
        ratio: +(login.requests.average / verifies).toFixed(2),
        p99_ms: login.latency.p99,
        non_2xx: login.non2xx,
        errno_errors: loginErrors,
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
