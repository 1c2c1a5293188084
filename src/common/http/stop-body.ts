import type { Socket } from 'node:net';
import type { Request, Response } from 'express';

/** How long a refused body may go on arriving after the answer before the connection is dropped. */
const LINGER_MS = 5_000;

/** Drops a connection whose answer is out once LINGER_MS are up, unless its client closed it first. */
export function closeAfterLinger(socket: Socket): void {
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * Answering before a request's body arrived (an upload refused early): close the connection
 * after the answer rather than read gigabytes nobody wants, in stages (RFC 9112 §9.6). The answer
 * and a FIN go first; what the client still sends is read and dropped until it closes its side or
 * LINGER_MS pass. Closing at once would meet the bytes in flight with a reset, and a client that
 * writes before it reads (an upload in progress) would lose the answer to EPIPE.
 *
 * Node ends a `Connection: close` answer with `socket.destroySoon()`, which destroys the socket as
 * soon as the FIN is out; here it only ends the socket's writing side.
 */
export function stopBodyAfterAnswer(request: Request, response: Response): void {
  if (request.complete) return;
  const socket = request.socket;
  response.setHeader('Connection', 'close');
  socket.destroySoon = () => void socket.end();
  response.once('finish', () => {
    request.resume();
    closeAfterLinger(socket);
  });
}
