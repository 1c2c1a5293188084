import type { Request, Response } from 'express';

const DRAIN_BEFORE_CLOSE_MS = 1000;

/**
 * Answering before a request's body arrived (an upload refused early): close the connection
 * after the answer rather than read gigabytes nobody wants. A short drain first, so that the
 * client reads the answer, not a reset. Nothing to do once the body is in.
 */
export function stopBodyAfterAnswer(request: Request, response: Response): void {
  if (request.complete) return;
  response.setHeader('Connection', 'close');
  response.once('finish', () => {
    request.resume();
    setTimeout(() => request.socket.destroy(), DRAIN_BEFORE_CLOSE_MS).unref();
  });
}
