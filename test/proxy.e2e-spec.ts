import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VCODE_RULES } from '../src/account/vcode.store.js';
import { post } from './support/accounts.js';
import { useApp } from './support/e2e.js';
import { freePort } from './support/server-process.js';
import { randomEmail, randomIp, startApp, testEnv } from './support/test-app.js';

/**
 * The deployment of docs/deploy.md on loopback: a real nginx in front of the app, adding the
 * address it sees with `$proxy_add_x_forwarded_for` (which keeps whatever the client wrote in
 * front), and TRUST_PROXY=1 (one hop). Clients connect to nginx from addresses of their own
 * (random 127.x.y.z addresses: all of 127/8 is loopback on Linux).
 */
const { t } = useApp({ TRUST_PROXY: '1' });

const SEND = '/api/account/sendvcode';
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

let nginx: ChildProcess;
let nginxPort: number;
let nginxDir: string;

beforeAll(async () => {
  const appPort = (t.app.getHttpServer().address() as AddressInfo).port;
  nginxPort = await freePort();
  nginxDir = mkdtempSync(join(tmpdir(), 'ps-nginx-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(nginxDir, dir));
  writeFileSync(
    join(nginxDir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
master_process off;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${nginxDir}/body;
    proxy_temp_path ${nginxDir}/proxy;
    fastcgi_temp_path ${nginxDir}/fastcgi;
    uwsgi_temp_path ${nginxDir}/uwsgi;
    scgi_temp_path ${nginxDir}/scgi;
    upstream personal_space {
        server 127.0.0.1:${appPort};
        keepalive 8;
        keepalive_timeout 4s;
    }
    server {
        listen 127.0.0.1:${nginxPort};
        location / {
            proxy_pass http://personal_space;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }
    }
}
`,
  );
  nginx = spawn(NGINX, ['-p', nginxDir, '-e', join(nginxDir, 'error.log'), '-c', join(nginxDir, 'nginx.conf')], { stdio: 'ignore' });
  const exited = new Promise<never>((_, reject) =>
    nginx.once('exit', (code) => reject(new Error(`nginx exited (${code}): ${readFileSync(join(nginxDir, 'error.log'), 'utf8')}`))),
  );
  const spawnFailed = new Promise<never>((_, reject) => nginx.once('error', reject));
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      const up = await send('127.0.0.1', '/api/health', {}, undefined, 'GET').then(
        () => true,
        () => false,
      );
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('nginx did not answer');
  })();
  await Promise.race([ready, exited, spawnFailed]);
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.removeAllListeners('exit');
    const gone = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGTERM');
    await gone;
  }
  if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
});

/** A form POST (or a GET) to the app through nginx, from the loopback address `from`. */
function send(
  from: string,
  path: string,
  form: Record<string, string>,
  forwardedFor?: string,
  method = 'POST',
): Promise<{ errno: number; msg: string }> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: nginxPort,
        localAddress: from,
        method,
        path,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          ...(forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve(JSON.parse(text) as { errno: number; msg: string });
          } catch {
            reject(new Error(`${res.statusCode} ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? body : undefined);
  });
}

describe('forging X-Forwarded-For through nginx', () => {
  it('counts a client that forges a new address on every send as itself: the 11th send within an hour is refused', async () => {
    const forged = () => (Math.random() < 0.5 ? randomIp() : `${randomIp()}, ${randomIp()}`);
    // Fresh loopback addresses each run: with Redis, counts of an earlier run live on for the hour.
    const octet = () => 1 + Math.floor(Math.random() * 254);
    const [forger, neighbour] = [`127.${octet()}.${octet()}.${octet()}`, `127.${octet()}.${octet()}.${octet()}`];
    const answers: number[] = [];
    for (let i = 0; i <= VCODE_RULES.sendsPerIpPerHour + 3; i++) {
      answers.push((await send(forger, SEND, { email: randomEmail() }, forged())).errno);
    }
    expect(answers).toEqual([...Array<number>(VCODE_RULES.sendsPerIpPerHour).fill(0), 1005, 1005, 1005, 1005]);
    // Another client behind the same nginx is still counted on its own.
    expect((await send(neighbour, SEND, { email: randomEmail() }, forged())).errno).toBe(0);
    // And an hour later the forger may send again.
    t.clock.advance(60 * 60_000 + 1);
    expect((await send(forger, SEND, { email: randomEmail() }, forged())).errno).toBe(0);
  });

  it('refuses to start with TRUST_PROXY=true, which would believe the forged address', async () => {
    await expect(startApp(testEnv({ TRUST_PROXY: 'true' }))).rejects.toThrow(/^Invalid configuration: TRUST_PROXY .*hop count/);
  });
});

describe('rotating IPv6 addresses', () => {
  it('counts every address of one /64 as one source: the 11th send from a fresh address of the /64 is refused', async () => {
    // A fresh /64 each run (see above), and its neighbour.
    const hextet = () => Math.floor(Math.random() * 0xffff).toString(16);
    const [a, b] = [hextet(), hextet()];
    const prefix = `2001:db8:${a}:${b}`;
    const address = () => `${prefix}:${Array.from({ length: 4 }, () => Math.floor(Math.random() * 0x10000).toString(16)).join(':')}`;
    for (let i = 0; i < VCODE_RULES.sendsPerIpPerHour; i++) {
      expect((await post(t.client(address()), SEND, { email: randomEmail() })).body.errno).toBe(0);
    }
    expect((await post(t.client(address()), SEND, { email: randomEmail() })).body.errno).toBe(1005);
    expect((await post(t.client(`${prefix}::1`), SEND, { email: randomEmail() })).body.errno).toBe(1005);
    // The neighbouring /64 is someone else.
    expect(
      (await post(t.client(`2001:db8:${a}:${(parseInt(b, 16) + 1).toString(16)}::1`), SEND, { email: randomEmail() })).body.errno,
    ).toBe(0);
  });
});
