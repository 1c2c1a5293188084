import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Errno } from '../errno.js';
import { envelope } from './envelope.js';
import { closeAfterLinger } from './stop-body.js';

/** The status Node itself would answer for each parser failure; everything else is a 400. */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

function envelopeResponse(status: number): string {
  // No request was parsed, so no Accept-Language either: the contract's default language.
  const body = JSON.stringify(envelope(Errno.BadRequest, 'zh'));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'X-Content-Type-Options: nosniff\r\n' +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Sockets answered here, in their linger (see stopBodyAfterAnswer). */
const answered = new WeakSet<Socket>();

/**
 * The http server's `clientError` listener: a request Node's parser refuses (headers over the
 * limit, a malformed request line) gets the envelope `{errno: 9000, msg}` with Node's status,
 * instead of Node's empty answer, and the connection closes. When an earlier request on the
 * socket (pipelined) is still being answered, its answer goes out first, whole.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  // What the client sends after the answer fails the parser again: dropped, not met with a reset
  // (a client still writing would lose the answer); closeAfterLinger ends it.
  if (answered.has(socket)) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const answer = () => {
    answered.add(socket);
    if (socket.writable) socket.end(envelopeResponse(STATUS_BY_CODE[error.code ?? ''] ?? 400));
    // A peer that never stops sending, or never closes, must not hold the socket open.
    closeAfterLinger(socket);
  };
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (inFlight && !inFlight.req.complete) {
    // The failure is in the body of the request being answered (broken chunks, a client gone
    // mid-upload): its answer will never come, so answer now (or just close when that answer
    // has begun); the socket closing lets the request's own handlers see it end.
    if (inFlight.headersSent) socket.destroy();
    else answer();
  } else if (inFlight && !inFlight.writableFinished) inFlight.once('finish', answer).once('close', () => socket.destroy());
  else answer();
}
