import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AppConfig } from './config/app-config.js';

/** What a request body must move per idle window for its upload to count as alive. */
export const MIN_PROGRESS_BYTES = 1024;
/** Between two requests on one connection (Node's default, stated). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

type Limits = Pick<AppConfig, 'httpMaxConnections' | 'httpHeadersTimeoutMs' | 'httpIdleTimeoutMs'>;

/**
 * The HTTP server's limits, for main.ts and the tests alike (configureApp applies them):
 *
 * - headers within `httpHeadersTimeoutMs` (a connection that sends nothing is closed too), checked
 *   every second rather than Node's 30 s;
 * - `keepAliveTimeout` between requests, and a socket silent both ways for `httpIdleTimeoutMs` is
 *   closed;
 * - at most `httpMaxConnections` connections;
 * - no total request time (`requestTimeout` 0): an upload that keeps moving may take hours; one
 *   whose body moves less than 1 KiB in `httpIdleTimeoutMs` (a 1 byte/s trickle) is dropped.
 *   Data waiting in our own buffers (the disk or S3 is slower than the client) is our stall, not
 *   the client's, and never counts against it.
 */
export function configureHttpServer(server: Server, limits: Limits): void {
  server.requestTimeout = 0;
  server.headersTimeout = limits.httpHeadersTimeoutMs;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.timeout = limits.httpIdleTimeoutMs;
  server.maxConnections = limits.httpMaxConnections;
  // Read by Node when the server starts listening: how often headersTimeout is checked.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, limits.httpHeadersTimeoutMs);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => watchBody(request, response, limits.httpIdleTimeoutMs));
}

/** Drops the connection when a request body stops moving (see configureHttpServer). */
function watchBody(request: IncomingMessage, response: ServerResponse, idleMs: number): void {
  if (request.complete || !hasBody(request)) return;
  const socket = request.socket;
  let seen = socket.bytesRead;
  const timer = setInterval(() => {
    if (request.complete) return stop();
    const moved = socket.bytesRead - seen;
    seen = socket.bytesRead;
    if (moved >= MIN_PROGRESS_BYTES || request.readableLength > 0) return;
    stop();
    socket.destroy();
  }, idleMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  request.once('end', stop);
  response.once('close', stop);
}

function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
