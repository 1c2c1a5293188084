/**
 * How the hostile spec sends a request: through supertest, through node:http (for what supertest
 * would rewrite) or as raw bytes over a socket (broken framing, request lines and headers), and
 * how it reads the answers back. Knows nothing of the app's state: the caller names the port.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type TestAgent from 'supertest/lib/agent.js';
import type { Req } from './arbitraries.js';

export const REQUEST_TIMEOUT_MS = 15_000;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const SUPERTEST_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export function survivesUrl(path: string): boolean {
  try {
    const url = new URL(path, 'http://127.0.0.1');
    return path.startsWith('/') && !path.startsWith('//') && url.pathname + url.search === path;
  } catch {
    return false;
  }
}

export function describeReq(req: Req): string {
  const body =
    req.body === undefined
      ? ''
      : `\n  body (${Buffer.byteLength(req.body)} bytes${req.compress ? `, ${req.compress}` : ''}): ${JSON.stringify((typeof req.body === 'string' ? req.body : req.body.toString('latin1')).slice(0, 600))}`;
  const headers = req.headers
    .map(
      ([name, value]) =>
        `\n  ${name ? `${name}: ` : ''}${JSON.stringify(value.slice(0, 300))}${value.length > 300 ? `…(${value.length})` : ''}`,
    )
    .join('');
  return `${req.via} ${req.method} ${JSON.stringify(req.path.slice(0, 500))}${req.path.length > 500 ? `…(${req.path.length})` : ''}${req.framing ? ` [${req.framing}]` : ''}${headers}${body}`;
}

export const collect = (res: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => callback(error, Buffer.concat(chunks)));
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

/** Through supertest with a client of the app (a fresh cookie jar). */
export async function viaSupertest(client: TestAgent, req: Req): Promise<Answer> {
  const method = req.method.toLowerCase() as Method;
  let test = client[method](req.path);
  for (const [name, value] of req.headers) test = test.set(name, value);
  test = test
    .buffer(true)
    .parse((res, callback) => collect(res as unknown as NodeJS.ReadableStream, callback))
    .ok(() => true)
    .timeout({ deadline: REQUEST_TIMEOUT_MS });
  if (req.body !== undefined) test = test.send(Buffer.from(req.body));
  const res = await test;
  return { status: res.status, headers: res.headers, body: res.body as Buffer };
}

/** Through node:http, which sends what supertest would rewrite; `n` (the request's number) picks its IP. */
export function viaHttp(port: number, req: Req, n: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.path,
      agent: false,
      timeout: REQUEST_TIMEOUT_MS,
    });
    request.setHeader('X-Forwarded-For', `10.${n % 250}.${(n >> 8) % 250}.${Math.floor(Math.random() * 250)}`);
    for (const [name, value] of req.headers) request.setHeader(name, value);
    // node:http frames no body of a GET or DELETE by itself: the bytes would read as a second request.
    if (req.body !== undefined) request.setHeader('Content-Length', Buffer.byteLength(req.body));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.on('response', (res) =>
      collect(res, (error, body) =>
        error ? reject(error) : resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body }),
      ),
    );
    request.end(req.body === undefined ? undefined : Buffer.from(req.body));
  });
}

/** The bytes of a raw-socket request, framed (or misframed) as `req.framing` says. */
function rawBytes(req: Req, n: number): { head: Buffer; body: Buffer; partial?: boolean } {
  const eol = req.eol ?? '\r\n';
  const body = Buffer.from(req.body ?? '');
  const lines = [
    `${req.method} ${req.path} ${req.version ?? 'HTTP/1.1'}`.trimEnd(),
    'Host: 127.0.0.1',
    `X-Forwarded-For: 10.9.${n % 250}.${Math.floor(Math.random() * 250)}`,
    'Connection: close',
  ];
  for (const [, line] of req.headers) lines.push(line);
  let payload = body;
  switch (req.framing) {
    case 'length':
    case 'abort':
      lines.push(`Content-Length: ${body.length}`);
      break;
    case 'short-length':
      lines.push(`Content-Length: ${Math.floor(body.length / 2)}`);
      break;
    case 'chunked':
      lines.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([
        ...(body.length ? [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')] : []),
        Buffer.from('0\r\n\r\n'),
      ]);
      break;
    case 'bad-chunked':
      lines.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
      break;
    case 'length+chunked':
      lines.push(`Content-Length: ${body.length}`, 'Transfer-Encoding: chunked');
      break;
    case 'double-length':
      lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
      break;
    case 'none':
    default:
      break;
  }
  return { head: Buffer.from(lines.join(eol) + eol + eol, 'utf8'), body: payload, partial: req.framing === 'abort' };
}

/** Parses the HTTP answers in a byte stream (1xx interim answers skipped); undefined when none is complete. */
function parseAnswers(data: Buffer): Answer[] {
  const answers: Answer[] = [];
  let rest = data;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine, ...headerLines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.subarray(end + 4);
    if (status >= 100 && status < 200) continue;
    let body: Buffer;
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const chunks: Buffer[] = [];
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        if (lineEnd < 0) break;
        const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
        rest = rest.subarray(lineEnd + 2);
        if (!size) {
          rest = rest.subarray(rest.indexOf('\r\n') + 2);
          break;
        }
        chunks.push(rest.subarray(0, size));
        rest = rest.subarray(size + 2);
      }
      body = Buffer.concat(chunks);
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      body = rest.subarray(0, length);
      rest = rest.subarray(length);
    } else {
      body = rest;
      rest = Buffer.alloc(0);
    }
    answers.push({ status, headers, body });
  }
  return answers;
}

/** Over a raw socket: every answer the server wrote before it closed, or 'aborted' when the client cut it off on purpose. */
export function viaSocket(port: number, req: Req, n: number): Promise<Answer[] | 'aborted'> {
  const { head, body, partial } = rawBytes(req, n);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no answer within ${REQUEST_TIMEOUT_MS} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 300))}`,
        ),
      );
    }, REQUEST_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer (an upload refused early) is fine
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(partial ? 'aborted' : parseAnswers(Buffer.concat(chunks)));
    });
    socket.on('connect', () => {
      if (partial) {
        // A client that goes away half-way: no answer is expected, only that nothing stays behind.
        socket.write(Buffer.concat([head, body.subarray(0, Math.floor(body.length / 2))]));
        setTimeout(() => socket.destroy(), 20);
        return;
      }
      // Written, not ended: a client's FIN makes Node's server drop the answer in flight. The server closes (Connection: close).
      socket.write(Buffer.concat([head, body]));
    });
  });
}
