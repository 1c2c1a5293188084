import { Logger, type INestApplication } from '@nestjs/common';
import type { Server, ServerResponse } from 'node:http';

/**
 * A graceful stop. The HTTP server goes first: no new connections, keep-alive ones closed once
 * idle, requests in flight finished (their connections cut after `timeoutMs`). Only then the
 * modules close (database, Redis, mail, processing): requests in flight still need them, and
 * Nest's own shutdown hooks would close them before the server.
 */
export async function shutDown(app: INestApplication, timeoutMs: number, signal: string): Promise<void> {
  new Logger('Shutdown').log(`${signal}: finishing requests in flight (at most ${timeoutMs} ms)`);
  const server = app.getHttpServer() as Server;
  server.prependListener('request', (_request, response: ServerResponse) => response.setHeader('Connection', 'close'));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Connections whose request came before the signal turn idle (keep-alive) as it finishes.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearInterval(idle);
  clearTimeout(cut);
  await app.close();
}
