import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Errno } from '../errno.js';
import { envelope } from './envelope.js';

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

/**
 * The http server's `clientError` listener: a request Node's parser refuses (headers over the
 * limit, a malformed request line) gets the envelope `{errno: 9000, msg}` with Node's status,
 * instead of Node's empty answer, and the connection closes. When an earlier request on the
 * socket (pipelined) is still being answered, its answer goes out first, whole.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const answer = () => {
    if (socket.writable) socket.end(envelopeResponse(STATUS_BY_CODE[error.code ?? ''] ?? 400));
    // A peer that never reads must not hold the socket open.
    setTimeout(() => socket.destroy(), 1000).unref();
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
