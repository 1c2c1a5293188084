// Where a JSON request's CPU goes: runs the built server (optionally under `node --cpu-prof`), loads
// `GET /api/videos/:id` as a visitor and `GET /api/account/me` logged in, and prints the server's CPU
// per request. With BENCH_CPU_PROF=<dir>, each profile is summed by package (self time), the view
// that guided the changes recorded in docs/benchmarks.md.
//   node bench/profile-api.mjs [seconds]
import autocannon from 'autocannon';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { clip, signUp, startApp } from './lib.mjs';

const SECONDS = Number(process.argv[2] ?? 8);
const profileDir = process.env.BENCH_CPU_PROF;
const run = (options) =>
  new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function measure(app, url, headers) {
  await run({ url, headers, connections: 16, duration: 2 }); // warm-up
  const before = cpuMs(app.child.pid);
  const result = await run({ url, headers, connections: 16, duration: SECONDS });
  return {
    rps: Math.round(result.requests.average),
    cpu_ms: +((cpuMs(app.child.pid) - before) / result.requests.total).toFixed(3),
    non2xx: result.non2xx,
  };
}

/** Self time per package (or our own file) of a .cpuprofile, largest first. */
function byPackage(file) {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8'));
  const self = new Map();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  const totals = new Map();
  let all = 0;
  for (const [id, us] of self) {
    const { url, functionName } = byId.get(id).callFrame;
    const key = url.includes('node_modules/')
      ? url
          .split('node_modules/')
          .at(-1)
          .split('/')
          .slice(0, url.split('node_modules/').at(-1).startsWith('@') ? 2 : 1)
          .join('/')
      : url.includes('/dist/src/')
        ? `src/${url.split('/dist/src/')[1]}`
        : url
          ? `node:${url.replace(/^node:/, '').split('/')[0]}`
          : `(${functionName || 'native'})`;
    totals.set(key, (totals.get(key) ?? 0) + us);
    all += us;
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([key, us]) => `${((100 * us) / all).toFixed(1).padStart(5)} %  ${key}`);
}

const app = await startApp({}, { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
try {
  const owner = await signUp(app, `prof-${Date.now().toString(36)}@example.com`);
  const body = new FormData();
  body.append('video', new Blob([clip()]), 'clip.mp4');
  const { video } = await (
    await fetch(`${app.base}/api/videos/video_upload`, { method: 'POST', headers: { Cookie: owner.cookie }, body })
  ).json();
  for (let i = 0; i < 600 && (await (await fetch(`${app.base}/api/videos/${video.id}`)).json()).video?.status !== 'ready'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const only = process.env.BENCH_ONLY; // detail | me: one of them, for a profile of that path alone
  const figures = {};
  if (only !== 'me') figures.detail = await measure(app, `${app.base}/api/videos/${video.id}`);
  if (only !== 'detail') figures.me = await measure(app, `${app.base}/api/account/me`, { Cookie: owner.cookie });
  console.log(JSON.stringify(figures));
} finally {
  app.child.kill('SIGINT');
  await new Promise((resolve) => app.child.once('exit', resolve));
}
if (profileDir) {
  for (const name of readdirSync(profileDir).filter((n) => n.endsWith('.cpuprofile'))) {
    console.log(`${name}:\n${byPackage(join(profileDir, name)).join('\n')}`);
  }
}
