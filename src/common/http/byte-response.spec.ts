import type { Request, Response } from 'express';
import { Readable, Writable } from 'node:stream';
import { Errno } from '../errno.js';
import { ErrnoError } from '../errno.error.js';
import { IMMUTABLE, serveObject, withStatus, type ByteStore } from './byte-response.js';

const MODIFIED = new Date('2026-01-02T03:04:05Z');
const ETAG = '"64-19b7c2e1a48"';
const BYTES = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

/** A store of one object in memory that records which ranges were read. */
function fakeStore(bytes = BYTES, etag = ETAG) {
  const reads: ({ start: number; end: number } | undefined)[] = [];
  const store: ByteStore = {
    stat: (key) => Promise.resolve(key === 'k' ? { size: bytes.length, modifiedAt: MODIFIED, etag } : null),
    openRead: (_key, range) => {
      reads.push(range);
      return Promise.resolve(Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]));
    },
  };
  return { store, reads };
}

function fakeRequest(headers: Record<string, string> = {}, method = 'GET'): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method, headers: lower, get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}

/** What serveObject uses of an Express response: a writable with a status and headers. */
class FakeResponse extends Writable {
  statusCode = 0;
  readonly headers: Record<string, string> = {};
  readonly chunks: Buffer[] = [];
  /** Goes away (like a client closing the tab) after this many bytes. */
  constructor(private readonly leaveAfter = Infinity) {
    super();
  }
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  override _write(chunk: Buffer, _encoding: string, callback: (error?: Error) => void): void {
    this.chunks.push(chunk);
    if (Buffer.concat(this.chunks).length >= this.leaveAfter) this.destroy();
    callback();
  }
  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function serve(headers: Record<string, string> = {}, options: { method?: string; store?: ByteStore; cacheControl?: string } = {}) {
  const fake = fakeStore();
  const response = new FakeResponse();
  await serveObject(
    fakeRequest(headers, options.method),
    response as unknown as Response,
    options.store ?? fake.store,
    'k',
    'video/mp4',
    options.cacheControl,
  );
  return { response, reads: fake.reads };
}

describe('serveObject', () => {
  it('answers 200 with the whole object, its validators and headers that keep a browser from running it', async () => {
    const { response } = await serve();
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual(BYTES);
    expect(response.headers).toMatchObject({
      'accept-ranges': 'bytes',
      etag: ETAG,
      'last-modified': MODIFIED.toUTCString(),
      'cache-control': 'public, max-age=0, must-revalidate',
      'content-type': 'video/mp4',
      'content-length': '100',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });

  it('sends the Cache-Control it is given', async () => {
    expect((await serve({}, { cacheControl: IMMUTABLE })).response.headers['cache-control']).toBe(IMMUTABLE);
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=90-', 90, 99],
    ['bytes=-10', 90, 99],
    ['bytes=95-1000', 95, 99],
    ['bytes=0-1,2-3', 0, 3],
  ])('answers %s with 206 and reads only those bytes from storage', async (range, start, end) => {
    const { response, reads } = await serve({ Range: range });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/100`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.body).toEqual(BYTES.subarray(start, end + 1));
    expect(reads).toEqual([{ start, end }]);
  });

  it('answers an unsatisfiable range with 416, Content-Range bytes */SIZE and errno 9000, before any byte', async () => {
    const fake = fakeStore();
    const response = new FakeResponse();
    const served = serveObject(fakeRequest({ Range: 'bytes=100-' }), response as unknown as Response, fake.store, 'k', 'video/mp4');
    const error = await served.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ErrnoError);
    expect(error).toMatchObject({ entry: Errno.BadRequest, status: 416, headers: { 'Content-Range': 'bytes */100' } });
    expect(fake.reads).toEqual([]);
    expect(response.body).toHaveLength(0);
  });

  it.each(['bytes=a-b', 'bits=0-1', 'bytes=0-1,50-60'])(
    'answers %s (malformed, or several ranges) with the whole object',
    async (range) => {
      const { response, reads } = await serve({ Range: range });
      expect(response.statusCode).toBe(200);
      expect(response.body).toEqual(BYTES);
      expect(reads).toEqual([undefined]);
    },
  );

  it.each([
    ['If-None-Match', ETAG],
    ['If-None-Match', `"other", ${ETAG}`],
    ['If-Modified-Since', MODIFIED.toUTCString()],
    ['If-Modified-Since', new Date(MODIFIED.getTime() + 60_000).toUTCString()],
  ])('answers %s: %s with 304 and reads nothing', async (name, value) => {
    const { response, reads } = await serve({ [name]: value, Range: 'bytes=0-9' });
    expect(response.statusCode).toBe(304);
    expect(response.body).toHaveLength(0);
    expect(reads).toEqual([]);
  });

  it.each([
    ['If-None-Match', '"other"'],
    ['If-Modified-Since', new Date(MODIFIED.getTime() - 60_000).toUTCString()],
  ])('answers %s: %s (a version the client does not have) with the bytes', async (name, value) => {
    expect((await serve({ [name]: value })).response.statusCode).toBe(200);
  });

  it.each([
    ['the strong ETag', ETAG, 206],
    ['another ETag', '"other"', 200],
    ['the ETag made weak', `W/${ETAG}`, 200],
    ['a date at Last-Modified', MODIFIED.toUTCString(), 206],
    ['a date before Last-Modified', new Date(MODIFIED.getTime() - 1000).toUTCString(), 200],
  ])('keeps the range for If-Range with %s only', async (_what, ifRange, status) => {
    const { response } = await serve({ Range: 'bytes=10-19', 'If-Range': ifRange });
    expect(response.statusCode).toBe(status);
    expect(response.body).toEqual(status === 206 ? BYTES.subarray(10, 20) : BYTES);
  });

  it('never keeps a range for If-Range when the stored validator is weak', async () => {
    const weak = `W/${ETAG}`;
    const { response } = await serve({ Range: 'bytes=10-19', 'If-Range': weak }, { store: fakeStore(BYTES, weak).store });
    expect(response.statusCode).toBe(200);
  });

  it('answers HEAD with the headers of GET and reads nothing', async () => {
    const { response, reads } = await serve({ Range: 'bytes=0-9' }, { method: 'HEAD' });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-length']).toBe('10');
    expect(response.body).toHaveLength(0);
    expect(reads).toEqual([]);
  });

  it('answers an empty object with 200 and no read', async () => {
    const empty = fakeStore(Buffer.alloc(0));
    const response = new FakeResponse();
    await serveObject(fakeRequest(), response as unknown as Response, empty.store, 'k', 'image/jpeg');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('0');
    expect(empty.reads).toEqual([]);
  });

  it('throws for a key that names no object (the caller answers it)', async () => {
    await expect(
      serveObject(fakeRequest(), new FakeResponse() as unknown as Response, fakeStore().store, 'gone', 'video/mp4'),
    ).rejects.toThrow('stored object missing: gone');
  });

  it('ends quietly when the client goes away mid-stream', async () => {
    const response = new FakeResponse(10);
    await serveObject(fakeRequest(), response as unknown as Response, fakeStore().store, 'k', 'video/mp4');
    expect(response.destroyed).toBe(true);
  });

  it('cuts the connection when storage fails mid-stream, so the client never takes a short body for the whole', async () => {
    const failing: ByteStore = {
      ...fakeStore().store,
      openRead: () =>
        Promise.resolve(
          new Readable({
            read() {
              this.destroy(new Error('disk gone'));
            },
          }),
        ),
    };
    const response = new FakeResponse();
    // pipeline destroys the response on a storage error too, so this resolves like a client that left.
    await serveObject(fakeRequest(), response as unknown as Response, failing, 'k', 'video/mp4');
    expect(response.destroyed).toBe(true);
    expect(response.writableFinished).toBe(false);
  });
});

describe('withStatus', () => {
  it('passes a value through', async () => {
    expect(await withStatus(Promise.resolve(7), 404)).toBe(7);
  });

  it('gives a refusal answered with 200 the status of the byte endpoint, keeping its errno and headers', async () => {
    const refused = withStatus(Promise.reject(new ErrnoError(Errno.VideoNotFound, 200, { 'X-A': '1' })), 404);
    await expect(refused).rejects.toMatchObject({ entry: Errno.VideoNotFound, status: 404, headers: { 'X-A': '1' } });
  });

  it('leaves a refusal that already has its own status, and other errors, alone', async () => {
    const ranged = new ErrnoError(Errno.BadRequest, 416);
    await expect(withStatus(Promise.reject(ranged), 404)).rejects.toBe(ranged);
    const plain = new Error('boom');
    await expect(withStatus(Promise.reject(plain), 404)).rejects.toBe(plain);
  });
});
