import { connect } from 'node:net';

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
