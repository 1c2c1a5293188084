import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { login, post, register } from './support/accounts.js';
import { mp4 } from './support/fixtures.js';
import { freePort, spawnServer } from './support/server-process.js';
import { useSmtp } from './support/e2e.js';
import { agentFor, randomEmail, testEnv } from './support/test-app.js';

/** The built server (npm test builds it first) as its own process, stopped with a real SIGTERM. */
describe('graceful shutdown', () => {
  const smtp = useSmtp();
  let server: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await spawnServer({ ...testEnv({ SMTP_URL: smtp.url }), SHUTDOWN_TIMEOUT_MS: '5000' }, port);
  });

  afterAll(() => {
    server.kill('SIGKILL');
  });

  it('lets an upload and a slow mail in flight finish (with the cache still open), refuses new connections, and exits', async () => {
    // Its own IP: the per-IP send limit is shared with every other test on Redis.
    const client = agentFor(base);
    const cookie = (await login(client, await register(client, smtp))).headers['set-cookie'][0].split(';')[0];

    const file = mp4();
    const boundary = 'shutdown-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="last.mp4"\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const upload = request(`${base}/api/videos/video_upload`, {
      method: 'POST',
      headers: {
        Cookie: cookie,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': head.length + file.length + tail.length,
      },
    });
    const answer = new Promise<string>((resolve, reject) => {
      upload.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      });
      upload.on('error', reject);
    });
    upload.write(head);
    upload.write(file.subarray(0, 1000));
    // A code whose mail is still being accepted when SIGTERM comes: storing it needs the cache
    // (Redis in CI's second pass) after the signal.
    smtp.delayMs = 800;
    const email = randomEmail('slow');
    const sent = post(agentFor(base), '/api/account/sendvcode', { email }).then((res) => res.body.errno as number);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`${base}/api/health`)).rejects.toThrow();

    upload.end(Buffer.concat([file.subarray(1000), Buffer.from(tail)]));
    expect(JSON.parse(await answer)).toMatchObject({ errno: 0, video: { size: file.length } });
    expect(await sent).toBe(0);
    expect(smtp.mailsTo(email)).toHaveLength(1);
    const [code, signal] = await exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
  });
});
