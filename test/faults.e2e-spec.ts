import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, post, register } from './support/accounts.js';
import { mp4 } from './support/fixtures.js';
import { freePort, spawnServer } from './support/server-process.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { useSmtp } from './support/e2e.js';
import { agentFor, randomEmail, startApp, testEnv } from './support/test-app.js';

const smtp = useSmtp();

describe('the mail server goes down, then comes back', () => {
  it('answers 1006 while it is gone and sends at once when it is back (no cooldown was started)', async () => {
    const proxy = await new TcpProxy('127.0.0.1', smtp.port).start();
    const t = await startApp(testEnv({ SMTP_URL: `smtp://127.0.0.1:${proxy.port}` }));
    try {
      const email = randomEmail();
      expect((await post(t.client(), '/api/account/sendvcode', { email: randomEmail() })).body.errno).toBe(0);
      await proxy.cut();
      expect((await post(t.client(), '/api/account/sendvcode', { email })).body.errno).toBe(1006);
      await proxy.restore();
      expect((await post(t.client(), '/api/account/sendvcode', { email })).body.errno).toBe(0);
      expect(smtp.mailsTo(email)).toHaveLength(1);
    } finally {
      await t.close();
      await proxy.cut();
    }
  });
});

describe('the disk fills up during an upload', () => {
  it('answers with a clean errno and leaves nothing behind', async () => {
    const disk = mkdtempSync(join(tmpdir(), 'ps-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
    const t = await startApp(testEnv({ SMTP_URL: smtp.url, STORAGE_DIR: disk, UPLOAD_MAX_BYTES: String(8 * 1024 * 1024) }));
    try {
      const client = t.client();
      await login(client, await register(t.client(), smtp));
      const big = Buffer.concat([mp4(), Buffer.alloc(1024 * 1024, 5)]);
      const res = await client.post('/api/videos/video_upload').attach('video', big, 'big.mp4');
      expect(res.body).toEqual({ errno: 9999, msg: '服务器内部错误' });
      expect((await client.get('/api/videos')).body.total).toBe(0);
      const left = readdirSync(disk, { recursive: true, encoding: 'utf8' }).filter(
        (name) => !['videos', 'covers', '.partial'].includes(name),
      );
      expect(left).toEqual([]);
      // Space again: the same upload of a small file works.
      expect((await client.post('/api/videos/video_upload').attach('video', mp4(), 'small.mp4')).body.errno).toBe(0);
    } finally {
      await t.close();
      execFileSync('umount', [disk]);
    }
  });
});

describe('the server is killed (SIGKILL) in the middle of 5 uploads', () => {
  it('shows no partial file or row after a restart, and sweeps the partial files', async () => {
    const env = testEnv({ SMTP_URL: smtp.url });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await spawnServer(env, port);
    try {
      // Its own IP: the per-IP send limit is shared with every other test on Redis.
      const client = agentFor(base);
      const cookie = (await login(client, await register(client, smtp))).headers['set-cookie'][0].split(';')[0];

      const uploads = Array.from({ length: 5 }, () => {
        const req = request(`${base}/api/videos/video_upload`, {
          method: 'POST',
          headers: { Cookie: cookie, 'Content-Type': 'multipart/form-data; boundary=kill', 'Transfer-Encoding': 'chunked' },
        });
        req.on('error', () => undefined);
        req.write('--kill\r\nContent-Disposition: form-data; name="video"; filename="k.mp4"\r\n\r\n');
        req.write(Buffer.concat([mp4(), Buffer.alloc(256 * 1024)]));
        return req;
      });
      const partials = join(env.DATA_DIR!, 'videos', '.partial');
      for (let i = 0; i < 50 && (!existsSync(partials) || readdirSync(partials).length < 5); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(partials)).toHaveLength(5);

      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
      for (const req of uploads) req.destroy();

      server = await spawnServer(env, port);
      expect(readdirSync(partials)).toEqual([]);
      expect(readdirSync(join(env.DATA_DIR!, 'videos')).filter((name) => name !== '.partial')).toEqual([]);
      const listed = await (await fetch(`${base}/api/videos`, { headers: { Cookie: cookie } })).json();
      expect(listed).toMatchObject({ errno: 0, total: 0 });
    } finally {
      server.kill('SIGKILL');
    }
  });
});
