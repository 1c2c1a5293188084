import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/typeorm-options.js';
import { loadConfig } from '../src/config/app-config.js';
import { Video } from '../src/videos/video.entity.js';
import { login, register } from './support/accounts.js';
import { freePort, spawnServer } from './support/server-process.js';
import { useSmtp } from './support/e2e.js';
import { agentFor, testEnv, type Env } from './support/test-app.js';

/** An 8 s 720p MPEG-4 Part 2 clip: every worker must transcode it, long enough to be caught mid-way. */
function slowClip(): Buffer {
  const dir = join(tmpdir(), 'ps-fixtures-v1');
  const file = join(dir, 'workers-720p-mpeg4.avi');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=duration=8:size=1280x720:rate=30'],
      ...['-f', 'lavfi', '-i', 'sine=duration=8', '-c:v', 'mpeg4', '-q:v', '4', '-c:a', 'libmp3lame', '-f', 'avi', partial],
    ]);
    execFileSync('mv', [partial, file]);
  }
  return readFileSync(file);
}

/** A worker process (`npm run worker` runs the same file), resolved once it says it runs. */
function spawnWorker(env: Env): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/src/worker.js'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the worker did not start: ${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker running')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}): ${output}`)));
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const until = async (check: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

const smtp = useSmtp();
let env: Env;
let api: ChildProcess | undefined;
const workers: ChildProcess[] = [];
let base: string;
let dataSource: DataSource;

beforeAll(async () => {
  // One deployment: the API and the workers share the database, the queue and the storage folder.
  env = testEnv({ SMTP_URL: smtp.url, PROCESSING: 'off', PROCESSING_CONCURRENCY: '1', PROCESSING_LOCK_MS: '2000' });
  const port = await freePort();
  api = await spawnServer(env, port);
  base = `http://127.0.0.1:${port}`;
  dataSource = await new DataSource(await buildDataSourceOptions(loadConfig(env), [Video])).initialize();
});

afterAll(async () => {
  for (const worker of workers) await stop(worker);
  await stop(api);
  await dataSource?.destroy();
});

describe('an API instance that only enqueues, and worker processes', () => {
  it('processes nothing without a worker, and everything once workers run, even when one is killed mid-transcode', async () => {
    const owner = agentFor(base);
    await login(owner, await register(agentFor(base), smtp, 'workers'));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await owner.post('/api/videos/video_upload').attach('video', slowClip(), `clip-${i}.avi`);
      expect(res.body.errno).toBe(0);
      ids.push(res.body.video.id as string);
    }
    const detail = async (id: string) => (await owner.get(`/api/videos/${id}`)).body.video;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const id of ids) expect(await detail(id)).toMatchObject({ status: 'processing', processing: { stage: 'queued', percent: 0 } });
    const health = (await owner.get('/api/health')).body;
    expect(health.processing).toMatchObject({ local_worker: false, workers: 0 });

    workers.push(await spawnWorker(env));
    // Caught in the act: a video in transcode on the only worker.
    let seen: { stage: string; percent: number } | null = null;
    await until(
      async () => {
        for (const id of ids) {
          const { processing } = await detail(id);
          if (processing?.stage === 'transcode') seen = processing;
        }
        return seen !== null;
      },
      30_000,
      'a video in transcode',
    );
    expect(seen).toMatchObject({ stage: 'transcode', percent: expect.any(Number) });
    workers[0].kill('SIGKILL');
    await new Promise((resolve) => workers[0].once('exit', resolve));

    workers.push(await spawnWorker(env), await spawnWorker(env));
    if (process.env.REDIS_URL) {
      await until(async () => (await owner.get('/api/health')).body.processing?.workers === 2, 10_000, 'two workers');
    }
    await until(async () => (await Promise.all(ids.map(detail))).every((video) => video.status !== 'processing'), 120_000, 'every video');
    for (const id of ids) {
      const video = await detail(id);
      expect(video).toMatchObject({ status: 'ready', width: 1280, height: 720, playback: { mp4_url: expect.any(String) } });
      expect((await owner.get(video.playback.mp4_url)).status).toBe(200);
    }

    // No stray renditions: exactly the sets the rows name stay stored. (Without Redis two workers
    // may both take up a video; the loser deletes its own set, possibly a moment after the row
    // switched to the winner's: hence the wait.)
    const rows = await dataSource.getRepository(Video).findBy(ids.map((id) => ({ id })));
    const named = rows.map((row) => row.renditionKey).sort();
    const renditions = join(loadConfig(env).storageDir, 'renditions');
    const storedSets = () => {
      try {
        return readdirSync(renditions, { recursive: true, encoding: 'utf8' })
          .filter((name) => name.split(sep).length === 2 && statSync(join(renditions, name), { throwIfNoEntry: false })?.isDirectory())
          .map((name) => `renditions/${name.split(sep).join('/')}`)
          .sort();
      } catch {
        return null; // a set vanished while it was being read: look again
      }
    };
    await until(() => Promise.resolve(JSON.stringify(storedSets()) === JSON.stringify(named)), 30_000, 'only the named sets');
    expect(storedSets()).toEqual(named);
    // The killed worker's scratch folder went when the next worker on this host started.
    const work = join(env.DATA_DIR!, 'work');
    const pids = new Set(readdirSync(work).map((name) => Number(name.split('~')[1])));
    expect(pids.has(workers[0].pid!)).toBe(false);
  }, 240_000);
});
