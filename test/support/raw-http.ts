import { connect, type AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';

/**
 * Sends `head` (a request's head, maybe with the start of its body) on a raw connection, waits for
 * the whole answer and the server's FIN, then goes on sending 32 MiB, as a client busy uploading
 * does before it reads. Those bytes are more than the kernel's buffers hold, so the writes end
 * only if the server reads and drops them, and a reset fails them (EPIPE). Resolves with the answer
 * once the connection closed; rejects with the socket's first error.
 */
export async function sendOnAfterAnswer(port: number, head: string | Buffer): Promise<string> {
  // Half-open like a browser or curl: the server's FIN does not end our side.
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const failed = new Promise<never>((_, reject) => socket.once('error', reject));
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const finished = new Promise<void>((resolve) => socket.once('end', resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const send = async () => {
    socket.write(head);
    await finished;
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (let i = 0; i < 512; i++) {
      await new Promise<void>((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve())));
    }
    socket.end();
    await closed;
  };
  await Promise.race([send(), failed]);
  return answer;
}

/** Sends bytes on a raw connection and reads everything until the server closes it. */
export function rawRequest(app: TestApp, payload: string): Promise<string> {
  const { port } = app.app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

/** A raw answer's status, lower-cased header lines and JSON body. */
export function parseRaw(answer: string) {
  const [head, body] = answer.split('\r\n\r\n');
  const [statusLine, ...headers] = head.split('\r\n');
  return { status: Number(statusLine.split(' ')[1]), headers: headers.map((h) => h.toLowerCase()), body: JSON.parse(body) as unknown };
}
