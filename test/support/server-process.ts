import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Env } from './test-app.js';

/** A loopback port that is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The built server (npm test builds it first) as its own process, once its health answers. */
export async function spawnServer(env: Env, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}
