/**
 * The oracle of the hostile spec: what any answer to any request must look like. No 5xx, no 9999;
 * JSON answers are the envelope with a known errno and message and nothing internal; HTTP statuses
 * go with their errnos; the byte endpoints and the web client may answer otherwise.
 */
import { Errno, Success } from '../../../src/common/errno.js';
import type { Req } from './arbitraries.js';
import type { Answer } from './transport.js';

const ERRNOS = new Set([
  0, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 3001, 3002,
  9000, 9001, 9403, 9404, 9999,
]);
const MESSAGES = new Set<string>([...Object.values(Errno), ...Object.values(Success)].flatMap((entry) => [entry.zh, entry.en]));
/** What must never reach a client: stacks, file paths, SQL, library error names. */
const LEAK =
  /\bat\s+[\w$.<>[\]]+\s+\(|\bat\s+(?:file|node):|node_modules|\/work\/|\/tmp\/|\/home\/|\/usr\/|file:\/\/|\.(?:ts|js|mjs|cjs):\d+|SQLITE_|QueryFailedError|\bER_[A-Z_]{3,}|\bSELECT\b|\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bWHERE\b|(?:Type|Range|Syntax|Reference|URI|Payload|Http)Error\b|\bException\b/;
/** Answers from Node's HTTP parser itself (the application never saw the request): no body type. */
const NODE_LEVEL = new Set([400, 413, 414, 417, 431, 505]);

function conditional(req: Req): boolean {
  return req.headers.some(
    ([name, value]) => /^if-(none-match|modified-since)$/i.test(name) || /^if-(none-match|modified-since):/i.test(value),
  );
}

/** The path as the router sees it: slashes collapsed, query aside, case and dot segments kept. */
function routedPath(path: string): string {
  return path.split('?')[0].replace(/\/{2,}/g, '/');
}

/** Where a path points once literal dot segments are resolved (what a client or a proxy would do; %2e is no dot). */
function resolvedPath(path: string): string {
  const segments: string[] = [];
  for (const segment of routedPath(path).split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.') segments.push(segment);
  }
  return segments.join('/') || '/';
}

/** What is wrong with `answer` to `req`, or undefined for a contract answer. */
export function problemWith(req: Req, answer: Answer): string | undefined {
  const { status } = answer;
  if (status >= 500) return `HTTP ${status}`;
  const type = answer.headers['content-type'] ?? '';
  const path = routedPath(req.path);
  const api = /^\/api(\/|$)/.test(resolvedPath(req.path));
  // Express routes case-insensitively: /API/DOCS-JSON is the OpenAPI document and /API/…/STREAM the bytes.
  // (The web client's fallback, though, answers GET /API/… with its page: only /api is held to JSON.)
  const docs = /^\/api\/docs/i.test(path);
  // The server collapses doubled slashes but routes `..` as an id (`/api/videos/../cover` is a cover).
  const routed = req.path.split(/[?#]/)[0].replace(/\/{2,}/g, '/');
  const bytes = [path, routed].some((p) => /^\/api\/videos\/[^/]*\/(stream|cover)\/?$/i.test(p));
  const avatar = [path, routed].some((p) => /^\/api\/users\/[^/]*\/avatar\/?$/i.test(p));
  if (/^application\/json/i.test(type)) {
    if (docs) return undefined; // the OpenAPI document
    const text = answer.body.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 'a JSON content type over a body that is not JSON';
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'JSON that is not an object';
    const { errno, msg } = body as { errno?: unknown; msg?: unknown };
    if (typeof errno !== 'number' || !Number.isInteger(errno)) return 'no integer errno';
    if (!ERRNOS.has(errno)) return `errno ${errno} is not in the contract`;
    if (typeof msg !== 'string') return 'no string msg';
    if (errno === 9999) return 'errno 9999 (an unexpected exception)';
    if (!MESSAGES.has(msg)) return `msg ${JSON.stringify(msg)} is not one of the contract's`;
    if (LEAK.test(text)) return `internals in the body: ${LEAK.exec(text)?.[0]}`;
    if (errno === 9404 && status !== 404) return `9404 with HTTP ${status}`;
    // A browser's state-changing request from another origin (a foreign Origin header): HTTP 403.
    if ((errno === 9001) !== (status === 403)) return `errno ${errno} with HTTP ${status}`;
    if (errno === 9001) return undefined;
    if (status === 404 && ![9404, 2004, 2006].includes(errno) && !(avatar && errno === 1001)) return `HTTP 404 with errno ${errno}`;
    if (status === 416 && errno !== 9000) return `HTTP 416 with errno ${errno}`;
    if (status === 416 && !/^bytes \*\/\d+$/.test(answer.headers['content-range'] ?? ''))
      return 'HTTP 416 without Content-Range: bytes */SIZE';
    // 2004 / 2006 are HTTP 404 on the byte endpoints and HTTP 200 everywhere else.
    if ([2004, 2006].includes(errno) && (status === 404) !== bytes) return `errno ${errno} with HTTP ${status}`;
    // What Node's parser refuses (oversized headers, broken framing) answers the envelope with 9000.
    if (NODE_LEVEL.has(status)) return errno === 9000 ? undefined : `HTTP ${status} with errno ${errno}`;
    if (![200, 404, 416].includes(status)) return `HTTP ${status} with a JSON errno answer`;
    return undefined;
  }
  const printable = /^(text\/|application\/(xml|javascript))/i.test(type) ? answer.body.toString('utf8') : '';
  if (printable && LEAK.test(printable)) return `internals in a ${type} body: ${LEAK.exec(printable)?.[0]}`;
  if (!type && NODE_LEVEL.has(status)) return undefined;
  // A conditional GET that matches (If-None-Match: *, the ETag of the same answer) may be answered 304, bodiless.
  if (status === 304 && conditional(req)) return undefined;
  if (!api || docs) return undefined;
  if ((bytes || avatar) && [200, 206, 304].includes(status)) return undefined;
  return `a non-JSON answer (${status} ${type || 'no type'}) on /api`;
}
