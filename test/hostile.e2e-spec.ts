/**
 * Hostile input, property-based (fast-check): every endpoint gets generated garbage — missing,
 * empty, huge, unicode and control characters, numbers / arrays / objects where strings belong,
 * prototype keys, SQL and path metacharacters, wrong content types, truncated multipart bodies,
 * absurd ranges and cookies, broken query strings and, over raw sockets, broken HTTP framing —
 * from anonymous and logged-in clients. Every answer must be a contract answer (no 5xx, no 9999,
 * JSON with a known errno and message, nothing internal), the process must stay up, and the
 * database must change only as valid requests meant: the generators cannot make a valid
 * registration or upload (no verification code ever reaches validatevacode or register, and a
 * real video header only travels in an upload that is otherwise invalid).
 */
import fc from 'fast-check';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { User } from '../src/account/user.entity.js';
import { Errno, Success } from '../src/common/errno.js';
import { sniffContainer } from '../src/videos/container.js';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { Video } from '../src/videos/video.entity.js';
import { login, PASSWORD, register, requestCode, type Account } from './support/accounts.js';
import { mp4 } from './support/fixtures.js';
import { SmtpCapture } from './support/smtp-capture.js';
import { randomEmail, startApp, testEnv, type TestApp } from './support/test-app.js';

const CAP = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;
const PROPERTY_TIMEOUT_MS = 120_000;
const SHRINK_BUDGET_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// The request model: what the generators produce and the counterexamples show. `{NAME}` tokens
// stand for values known only at run time (cookies, ids); they are filled in just before sending.
// ---------------------------------------------------------------------------------------------

type Via = 'supertest' | 'http' | 'socket';
/** How a raw-socket request frames its body. */
type Framing = 'length' | 'short-length' | 'chunked' | 'bad-chunked' | 'length+chunked' | 'double-length' | 'none' | 'abort';

interface Req {
  via: Via;
  method: string;
  /** The request target exactly as sent (path and query). */
  path: string;
  headers: [string, string][];
  body?: string | Buffer;
  /** Compress the body before sending (after tokens are filled in). */
  compress?: 'gzip' | 'deflate';
  /** socket only */
  framing?: Framing;
  /** socket only: the HTTP version and line ending of the head */
  version?: string;
  eol?: string;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

let smtp: SmtpCapture;
let t: TestApp;
let other: Account;
let before: { users: number; videos: number; files: string[] };
const tokens = new Map<string, string>();
let sent = 0;
let aborted = 0;
const serverLog: string[] = [];
/** Entries dropped from the front of serverLog: positions are serverLog.length + logDropped. */
let logDropped = 0;

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const codeUnit = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));

const controlChars = fc.string({ unit: fc.oneof(codeUnit(0, 0x1f), pick('\u007f'), codeUnit(0x80, 0x9f)), minLength: 1, maxLength: 12 });
const loneSurrogates = fc.string({ unit: codeUnit(0xd800, 0xdfff), minLength: 1, maxLength: 4 });
/** Header-safe text: what node:http lets a client put in a header value (tab, printable ASCII, Latin-1). */
const latin1Text = (maxLength = 60) => fc.string({ unit: fc.oneof(codeUnit(0x20, 0x7e), codeUnit(0xa0, 0xff), pick('\t')), maxLength });

const META = pick(
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT * FROM users --',
  "' UNION SELECT password_hash, email FROM users --",
  "1' AND SLEEP(5) --",
  '%',
  '_',
  '\\',
  '\\0',
  '\u0000',
  '%00',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/passwd',
  'C:\\Windows\\System32',
  'file:///etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '$ne',
  '{"$gt":""}',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1A',
  '0',
  '-1',
  '9999999999',
  '1000000000',
  '0000000000',
  '１２３４５６',
  '١٢٣٤٥٦',
  '123456',
  '   ',
  '\t\r\n',
  '\u200b',
  '\ufeff',
  '\u202e',
  'İ',
  'ß',
  'ﬃ',
  '𝒜',
  '👨‍👩‍👧‍👦',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
);

const PROTO_KEYS = pick(
  '__proto__',
  'constructor',
  'prototype',
  '__proto__[email]',
  'constructor[prototype][isAdmin]',
  'a[b]',
  'email[]',
  'email[0]',
  'user[$ne]',
  '',
  ' ',
  'hasOwnProperty',
  'toString',
);

const EMAIL_GARBAGE = pick(
  'a@b',
  'a@b.c',
  '@example.com',
  'x@',
  'x@@example.com',
  'x@example..com',
  '"a b"@example.com',
  'ＡＢＣ@ｅｘａｍｐｌｅ.ｃｏｍ',
  'δοκιμή@παράδειγμα.δοκιμή',
  '用户@例子.广告',
  'user@[127.0.0.1]',
  'user@localhost',
  'user@127.0.0.1',
  `${'a'.repeat(300)}@example.com`,
  `a@${'b'.repeat(250)}.com`,
  'x@example.com\r\nBcc: victim@example.com',
  'x@example.com,y@example.com',
  'x@example.com; y@example.com',
  '<x@example.com>',
  'X@EXAMPLE.COM',
  'x+tag@example.com',
  "x'--@example.com",
  'x@example.com\u0000',
  ' x@example.com ',
  'x@exa mple.com',
  'x@-example.com',
  'x@example.com.',
  'a\ud800@example.com',
  '\udfff',
);

const emailish = fc.oneof(
  fc.emailAddress(),
  EMAIL_GARBAGE,
  fc.tuple(fc.string({ unit: 'grapheme', maxLength: 12 }), pick('@example.com', '@', '@localhost', '@ex.ample')).map(([a, b]) => a + b),
);

/** Up to 100 KB of one repeated unit. */
const huge = fc
  .record({
    unit: pick('a', 'é', '中', '𝄞', '\u0000', '9', '%', ' ', '\r\n', '"', '\\', '{', '[', '&'),
    bytes: fc.integer({ min: 1_000, max: 100_000 }),
  })
  .map(({ unit, bytes }) => unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit)))));

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: controlChars },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 4, arbitrary: META },
  { weight: 2, arbitrary: emailish },
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(META, controlChars, loneSurrogates, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 5 })
      .map((parts) => parts.join('')),
  },
);
const hostileString = fc.oneof({ weight: 15, arbitrary: hostileText }, { weight: 1, arbitrary: huge });
const sixDigits = fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0'));
const tenDigits = fc.integer({ min: 1_000_000_000, max: 9_999_999_999 }).map(String);
const numberish = fc.oneof(
  fc.integer({ min: 1, max: 200 }).map(String),
  fc.integer({ min: -5, max: 1_000_000_000_000 }).map(String),
  pick('0', '-1', '1.5', '1e3', '01', ' 1', '1 ', '+1', '999999999', '1000000000', '', '0x10', '１', '9'.repeat(400)),
);
const passwordish = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  pick('abc12345', 'password1', '短密码1', ' secret12 ', '12345678', 'abcdefgh', 'a1', `a1${'x'.repeat(63)}`),
);
const titleish = fc.oneof(
  hostileText,
  fc.integer({ min: 79, max: 90 }).map((n) => '标'.repeat(n)),
  fc.integer({ min: 1_990, max: 2_100 }).map((n) => 'd'.repeat(n)),
);

/** Values that mean something for a parameter (tokens, right shapes), mixed with plain garbage. */
const PLAUSIBLE: Record<string, fc.Arbitrary<string>> = {
  email: fc.oneof(
    {
      weight: 3,
      arbitrary: pick('{PENDING0}', '{PENDING1}', '{PENDING2}', '{VICTIM}', '{OWNER_EMAIL}', ' {PENDING0} ', '{PENDING1_UPPER}'),
    },
    { weight: 2, arbitrary: emailish },
  ),
  vcode: fc.oneof(
    { weight: 3, arbitrary: sixDigits },
    {
      weight: 1,
      arbitrary: pick('', '000000', '999999', '12345', '1234567', ' 123456 ', '12345６', '１２３４５６', '-12345', '1e5', '0x1E240'),
    },
  ),
  username: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 25 }),
    controlChars,
    pick('', ' ', 'x'.repeat(21), '小明', '\u200b', 'a\u0000b'),
  ),
  password_1: passwordish,
  password_2: passwordish,
  password: passwordish,
  user: fc.oneof(
    { weight: 3, arbitrary: pick('{VICTIM}', '{VICTIM_UID}', ' {VICTIM_UID} ', '{VICTIM_UPPER}') },
    { weight: 1, arbitrary: pick('0000000000', '0123456789', '12345678901', '-123456789', '1e9') },
    { weight: 1, arbitrary: tenDigits },
    { weight: 1, arbitrary: emailish },
  ),
  uid: fc.oneof(
    { weight: 2, arbitrary: pick('{UID}', '{VICTIM_UID}', '{OTHER_UID}') },
    { weight: 1, arbitrary: pick('0000000000', '0123456789', '99999999999', '1e9', '-1', ' {UID}', '{UID}.0', '{UID}{UID}') },
    { weight: 1, arbitrary: tenDigits },
  ),
  page: numberish,
  page_size: numberish,
  title: titleish,
  description: titleish,
};

/** A parameter value: a string, a repeated parameter (array), or any JSON text where a string belongs. */
type Value = string | string[] | { json: string };

const jsonScalar = fc.oneof(
  hostileText.map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  pick('true', 'false', 'null', '1e400', '-0', '123456789012345678901234567890', '0.0000001', '123456'),
);
const jsonKey = fc.oneof(PROTO_KEYS, hostileText, pick('email', 'vcode', 'user', 'password'));
const jsonTree = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonScalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
  object: fc
    .array(fc.tuple(jsonKey, tie('value')), { maxLength: 4 })
    .map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
})).value;
/** Nesting deep enough to find recursion in whatever walks a parsed body (within and past 64 KiB). */
const deepJson = fc
  .record({ depth: fc.integer({ min: 50, max: 30_000 }), kind: pick('array', 'object', 'mixed') })
  .map(({ depth, kind }) =>
    kind === 'array'
      ? '['.repeat(depth) + ']'.repeat(depth)
      : kind === 'object'
        ? '{"email":'.repeat(depth) + '"x@example.com"' + '}'.repeat(depth)
        : '{"a":['.repeat(depth) + '1' + ']}'.repeat(depth),
  );
const deepValue = fc
  .oneof(pick(100, 2_000, 4_000, 8_000), fc.integer({ min: 50, max: 8_000 }))
  .map((depth) => ({ json: '['.repeat(depth) + '"x"' + ']'.repeat(depth) }));
/** Objects that walk into prototype names on the way down. */
const protoJson = pick(
  '{"constructor":{}}',
  '{"constructor":1}',
  '{"a":{"constructor":{}}}',
  '{"constructor":{"prototype":{}}}',
  '{"__proto__":{"polluted":1}}',
  '{"prototype":1}',
  '[{"constructor":1}]',
  '{"toString":1,"valueOf":2}',
  '{"hasOwnProperty":"x"}',
).map((json) => ({ json }));

const valueFor = (name: string): fc.Arbitrary<Value> =>
  fc.oneof(
    { weight: 6, arbitrary: PLAUSIBLE[name] ?? hostileString },
    { weight: 4, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.array(PLAUSIBLE[name] ?? hostileText, { minLength: 0, maxLength: 3 }) },
    { weight: 1, arbitrary: jsonTree.map((json) => ({ json })) },
    { weight: 1, arbitrary: jsonScalar.map((json) => ({ json })) },
    { weight: 1, arbitrary: deepValue },
    { weight: 1, arbitrary: protoJson },
  );

/** The parameters of an endpoint, each present or not, plus odd extra keys (prototype keys among them). */
const paramsFor = (names: string[]): fc.Arbitrary<[string, Value][]> =>
  fc
    .tuple(
      fc.record(Object.fromEntries(names.map((name) => [name, valueFor(name)])) as Record<string, fc.Arbitrary<Value>>, {
        requiredKeys: [],
      }),
      fc.array(fc.tuple(fc.oneof(PROTO_KEYS, hostileText, pick(...names)), valueFor('x')), { maxLength: 3 }),
    )
    .map(([known, extra]) => [...Object.entries(known).filter((entry): entry is [string, Value] => entry[1] !== undefined), ...extra]);

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Percent-encodes every byte of the UTF-8 form except unreserved ones (never throws, lone surrogates included). */
const pct = (value: string) =>
  value
    .split(/(\{[A-Z0-9_]+\})/)
    .map((piece, i) =>
      // Odd pieces are {TOKEN}s: left as they are, to be filled in before sending.
      i % 2
        ? piece
        : [...Buffer.from(piece, 'utf8')]
            .map((byte) =>
              UNRESERVED.test(String.fromCharCode(byte))
                ? String.fromCharCode(byte)
                : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
            )
            .join(''),
    )
    .join('');
const PERCENT_GARBAGE = pick(
  '%E0%A4%A',
  '%',
  '%%',
  '%zz',
  '%u0041',
  '%C0%AF',
  '%FF%FE',
  '%00',
  '%2',
  '%E0%80%80',
  '%F4%90%80%80',
  '%ED%A0%80',
  '%C3',
  '+',
  '%2B%',
  '%25%',
);
const valueText = (value: Value): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value : [value.json]);

/** key=value pairs as a query string or urlencoded body: encoded, raw (ASCII-safe), or with percent garbage. */
const formText = (names: string[]) =>
  fc
    .tuple(
      paramsFor(names),
      pick('pct', 'pct', 'plus', 'raw'),
      fc.array(
        fc.oneof(
          PERCENT_GARBAGE,
          pick(
            '&',
            '&&',
            '=',
            '==',
            ';',
            'a[b]=1',
            'a[]=1&a[]=2',
            'a[b][c]=1',
            '__proto__[x]=1',
            'constructor[prototype][x]=1',
            `${names[0]}=a&${names[0]}=b`,
          ),
        ),
        {
          maxLength: 3,
        },
      ),
    )
    .map(([params, mode, garbage]) => {
      const enc = (s: string) =>
        mode === 'raw'
          ? [...s].map((c) => (/[\x21-\x7e]/.test(c) && c !== '#' ? c : pct(c))).join('')
          : mode === 'plus'
            ? pct(s).replace(/%20/g, '+')
            : pct(s);
      const pairs = params.flatMap(([key, value]) => valueText(value).map((text) => `${enc(key)}=${enc(text)}`));
      return [...pairs, ...garbage].join('&');
    });

const queryFor = (names: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: pick('?', '??', '?&', '?=', '?%E0%A4%A', '?a[b]=1', '?#', '?;') },
    {
      weight: 5,
      arbitrary: formText(names)
        .filter((q) => q.length < 12_000)
        .map((q) => `?${q}`),
    },
  );

function jsonObjectText(params: [string, Value][]): string {
  const text = (value: Value) =>
    typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(value) : value.json;
  return `{${params.map(([key, value]) => `${JSON.stringify(key)}:${text(value)}`).join(',')}}`;
}

const jsonBody = (names: string[]) =>
  fc.oneof(
    { weight: 8, arbitrary: paramsFor(names).map(jsonObjectText) },
    { weight: 2, arbitrary: jsonTree },
    { weight: 1, arbitrary: deepJson },
    {
      weight: 2,
      arbitrary: paramsFor(names)
        .map(jsonObjectText)
        .chain((text) => fc.nat({ max: text.length }).map((n) => text.slice(0, n))),
    },
    {
      weight: 2,
      arbitrary: pick(
        '',
        ' ',
        '{',
        '}',
        '{"email":"x@example.com"}}',
        '{"email":"x@example.com",}',
        "{'email':'x@example.com'}",
        '{"email":"x@example.com"}garbage',
        '\ufeff{"email":"x@example.com"}',
        '/* c */{}',
        'NaN',
        '{"__proto__":{"email":"x@example.com"}}',
        '{"constructor":{"prototype":{"email":"x@example.com"}}}',
        '{"email":"\\ud800"}',
        '{"email":"\\u0000"}',
        '{"email":1e999}',
        '[{"email":"x@example.com"}]',
        '"x@example.com"',
        'null',
        '0',
      ),
    },
  );

interface Part {
  name: string;
  filename?: string;
  type?: string;
  content: string | Buffer;
}

function multipartBody(boundary: string, parts: Part[], end: 'close' | 'open' | 'epilogue' | 'preamble'): Buffer {
  const chunks: Buffer[] = [];
  if (end === 'preamble') chunks.push(Buffer.from('preamble garbage\r\n'));
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.type !== undefined) head += `Content-Type: ${part.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  if (end !== 'open') chunks.push(Buffer.from(`--${boundary}--\r\n`));
  if (end === 'epilogue') chunks.push(Buffer.from('epilogue garbage'));
  return Buffer.concat(chunks);
}

const boundaryArb = pick(
  'zz',
  'ps-hostile-boundary',
  '----WebKitFormBoundary7MA4YWxkTrZu0gW',
  'a'.repeat(70),
  'a'.repeat(200),
  '"quoted"',
  'b:o/u=n?d',
  '',
);
const multipartType = (boundary: string) =>
  pick(
    `multipart/form-data; boundary=${boundary}`,
    `multipart/form-data; boundary=${boundary}`,
    `multipart/form-data; boundary="${boundary}"`,
    `Multipart/Form-Data; BOUNDARY=${boundary}`,
    `multipart/form-data; charset=utf-8; boundary=${boundary}`,
    `multipart/form-data; boundary=${boundary}; boundary=other`,
    'multipart/form-data; boundary=wrong',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    `multipart/mixed; boundary=${boundary}`,
    `multipart/form-data; boundary=${boundary}; charset=klingon`,
  );

/** A multipart form of the endpoint's fields (a file part among them sometimes), maybe broken. */
const multipartFields = (names: string[]) =>
  fc
    .tuple(
      boundaryArb,
      paramsFor(names),
      fc.option(fc.record({ name: pick('file', 'video', names[0]), filename: pick('x.txt', '', '../../x'), content: hostileText })),
      pick<'close' | 'open' | 'epilogue' | 'preamble'>('close', 'close', 'open', 'epilogue', 'preamble'),
      fc.option(fc.nat(), { nil: undefined }),
    )
    .chain(([boundary, params, file, end, cut]) => {
      const parts: Part[] = params.flatMap(([name, value]) => valueText(value).map((content) => ({ name, content })));
      if (file) parts.push(file);
      let body = multipartBody(boundary, parts, end);
      if (cut !== undefined) body = body.subarray(0, cut % (body.length + 1));
      return multipartType(boundary).map((type) => ({ type, body }));
    });

interface BodySpec {
  type?: string;
  encoding?: string;
  compress?: 'gzip' | 'deflate';
  body?: string | Buffer;
}

const JSON_TYPES = pick(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=klingon',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  'text/json',
  'application/json; application/json',
);
const FORM_TYPES = pick(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=ISO-8859-1',
  'application/x-www-form-urlencoded; charset=klingon',
);
const GARBAGE_TYPES = pick(
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'application/octet-stream',
  '',
  ';',
  'garbage',
  'multipart/',
  '*/*',
  'x/y; charset=utf-8',
  'application/json, text/plain',
  'text/html',
  'application/x-www-form-urlencoded, application/json',
  'video/mp4',
);

/** JSON that has broken parsers elsewhere: deep nesting, prototype names on the way down, lone surrogates. */
const nastyJson = (names: string[]): fc.Arbitrary<BodySpec> =>
  fc
    .tuple(
      fc.oneof(pick(...names), PROTO_KEYS),
      fc.oneof(
        deepValue,
        protoJson,
        pick('"a\\ud800@example.com"', '"\\udfff"', '"\\u0000"').map((json) => ({ json })),
      ),
    )
    .map(([name, value]) => ({ type: 'application/json', body: `{${JSON.stringify(name)}:${value.json}}` }));

const bodyFor = (names: string[]): fc.Arbitrary<BodySpec> =>
  fc.oneof(
    { weight: 4, arbitrary: nastyJson(names) },
    { weight: 3, arbitrary: fc.constant<BodySpec>({}) },
    { weight: 5, arbitrary: fc.record({ type: JSON_TYPES, body: jsonBody(names) }) },
    { weight: 4, arbitrary: fc.record({ type: FORM_TYPES, body: formText(names) }) },
    { weight: 3, arbitrary: multipartFields(names) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.option(GARBAGE_TYPES, { nil: undefined }),
        body: fc.oneof(
          jsonBody(names),
          formText(names),
          hostileString,
          fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          type: fc.oneof(JSON_TYPES, FORM_TYPES),
          body: fc.oneof(jsonBody(names), formText(names)),
          encoding: pick('gzip', 'deflate', 'br', 'identity', 'x-garbage', 'gzip, gzip', 'GZIP'),
          real: fc.boolean(),
        })
        .map(({ type, body, encoding, real }): BodySpec => ({
          type,
          body,
          encoding,
          compress: real && (encoding === 'gzip' || encoding === 'deflate') ? encoding : undefined,
        })),
    },
  );

/** Cookies: a real session (by token), a stale one, forged, tampered, doubled, huge, many, garbage. */
const cookieValueGarbage = fc.oneof(
  latin1Text(80).map((s) => s.replace(/;/g, '')),
  PERCENT_GARBAGE,
  pick('s%3Aforged.sig', 's:forged.sig', '"s%3Aabc"', '', '=', 's%3A', 's%3A.', 'j%3A%7B%7D', '{SIDONLY}', '{BADSIG}'),
);
const cookieFor = (sessions: string[]): fc.Arbitrary<string | undefined> => {
  const session = pick(...sessions);
  return fc.oneof(
    { weight: 10, arbitrary: session.map((s) => `ps.sid=${s}`) },
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.tuple(session, cookieValueGarbage).map(([s, g]) => `ps.sid=${s}; ps.sid=${g}`) },
    { weight: 1, arbitrary: fc.tuple(cookieValueGarbage, session).map(([g, s]) => `ps.sid=${g}; ps.sid=${s}`) },
    { weight: 1, arbitrary: session.map((s) => `__proto__=1; constructor=2; prototype=3; ps.sid=${s}`) },
    { weight: 1, arbitrary: fc.tuple(session, pick('x', '%00', '%', '.x', ';', ' ')).map(([s, tail]) => `ps.sid=${s}${tail}`) },
    { weight: 2, arbitrary: cookieValueGarbage.map((g) => `ps.sid=${g}`) },
    { weight: 1, arbitrary: latin1Text(200) },
    { weight: 1, arbitrary: pick(';;;;', '=', 'ps.sid', 'ps.sid=', '=ps.sid', 'ps.sid==', ' ; ps.sid=x ; ') },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => `a=${'x'.repeat(n)}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 10, max: 1_500 }), session)
        .map(([n, s]) => Array.from({ length: n }, (_, i) => `c${i}=${i}`).join('; ') + `; ps.sid=${s}`),
    },
  );
};
const ANON_COOKIE = cookieFor(['{STALE}']);
const ANY_COOKIE = cookieFor(['{OWNER}', '{OTHER}', '{STALE}']);

const headerExtra: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constant('X-Forwarded-For'),
    fc.oneof(latin1Text(), pick('', 'unknown', '::1', '999.999.999.999', '1.1.1.1, 2.2.2.2', ',,,', '[::ffff:1.2.3.4]', '%00')),
  ),
  fc.tuple(
    fc.constant('Accept-Language'),
    fc.oneof(latin1Text(), pick('en', 'en;q=abc', '*', 'zh;q=0, en;q=0', `${'xx-'.repeat(1500)}en`, 'en-US,en;q=0.9', ';q=1')),
  ),
  fc.tuple(
    fc.constant('Accept'),
    fc.oneof(latin1Text(), pick('text/html', '*/*', 'application/xml', '', 'text/html;q=2', 'application/json;q=0')),
  ),
  fc.tuple(
    pick(
      'Origin',
      'Referer',
      'User-Agent',
      'If-None-Match',
      'If-Modified-Since',
      'Authorization',
      'X-HTTP-Method-Override',
      'Cache-Control',
      'Forwarded',
      'X-Forwarded-Proto',
      'X-Forwarded-Host',
    ),
    latin1Text(),
  ),
  fc.tuple(fc.constant('Expect'), pick('100-continue', '100-Continue', '', 'garbage')),
);
const headerExtras = fc.oneof(
  { weight: 3, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 2, arbitrary: fc.array(headerExtra, { minLength: 1, maxLength: 3 }) },
);

const VIA = pick<Via>('supertest', 'supertest', 'supertest', 'http');

/** The endpoint's own parameters with plausible string values, nothing else: reaches the deeper checks. */
const cleanParams = (names: string[]): fc.Arbitrary<[string, string][]> =>
  fc
    .record(Object.fromEntries(names.map((name) => [name, PLAUSIBLE[name] ?? hostileText])) as Record<string, fc.Arbitrary<string>>, {
      requiredKeys: [],
    })
    .map((params) => Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
const cleanForm = (params: [string, string][]) => params.map(([key, value]) => `${pct(key)}=${pct(value)}`).join('&');
const cleanRequest = (names: string[]): fc.Arbitrary<{ query: string; body: BodySpec }> =>
  fc.tuple(cleanParams(names), pick('query', 'json', 'json', 'form', 'form', 'multipart')).map(([params, how]) => {
    switch (how) {
      case 'query':
        return { query: params.length ? `?${cleanForm(params)}` : '', body: {} };
      case 'json':
        return { query: '', body: { type: 'application/json', body: jsonObjectText(params) } };
      case 'form':
        return { query: '', body: { type: 'application/x-www-form-urlencoded', body: cleanForm(params) } };
      default:
        return {
          query: '',
          body: {
            type: 'multipart/form-data; boundary=ps-clean',
            body: multipartBody(
              'ps-clean',
              params.map(([name, content]) => ({ name, content })),
              'close',
            ),
          },
        };
    }
  });

/** A request to an endpoint that reads parameters (query, urlencoded, JSON, multipart): clean or hostile. */
function paramRequest(opts: {
  methods: fc.Arbitrary<string>;
  paths: fc.Arbitrary<string>;
  names: string[];
  cookies: fc.Arbitrary<string | undefined>;
}): fc.Arbitrary<Req> {
  const hostile = fc.record({ query: queryFor(opts.names), body: bodyFor(opts.names) });
  return fc
    .record({
      via: VIA,
      method: opts.methods,
      path: opts.paths,
      params: fc.oneof({ weight: 2, arbitrary: cleanRequest(opts.names) }, { weight: 3, arbitrary: hostile }),
      cookie: opts.cookies,
      extra: headerExtras,
    })
    .map(({ via, method, path, params: { query, body }, cookie, extra }) => {
      const headers: [string, string][] = [];
      if (body.type !== undefined) headers.push(['Content-Type', body.type]);
      if (body.encoding !== undefined) headers.push(['Content-Encoding', body.encoding]);
      if (cookie !== undefined) headers.push(['Cookie', cookie]);
      headers.push(...extra);
      return { via, method, path: path + query, headers, body: body.body, compress: body.compress };
    });
}

const pathVariants = (path: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(path) },
    { weight: 1, arbitrary: pick(`/${path}`, `${path}/`, path.replace('/api/', '/api//'), `//${path.slice(1).replace(/\//g, '//')}`) },
    { weight: 1, arbitrary: pick(path.toUpperCase(), `${path}?`, `${path}#x`, `${path};x`, `${path}%20`, `${path}.json`) },
  );

/** Path segments for :id and :uid. */
const segment = fc.oneof(
  { weight: 4, arbitrary: hostileText.filter((s) => s.length > 0).map(pct) },
  {
    weight: 3,
    arbitrary: pick(
      '..',
      '.',
      '%2e%2e',
      '%2E%2E%2F',
      '..%2f..%2f',
      '%00',
      '%',
      '%E0%A4%A',
      '%zz',
      '%C0%AE%C0%AE',
      '%2F',
      '%5C',
      ';',
      '~',
      '*',
      'null',
      'undefined',
      '0',
      '-1',
      'NaN',
      '__proto__',
      'constructor',
      'prototype',
      '%20',
      '+',
      'a;b=c',
      '%F0%9F%92%A9',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: pick(...'0123456789abcdef'), minLength: 18, maxLength: 22 }) },
  { weight: 1, arbitrary: fc.string({ unit: pick(...'0123456789ABCDEFG'), minLength: 20, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 8_000 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: tenDigits },
);
const VIDEO_PREFIX = fc.oneof(
  { weight: 8, arbitrary: fc.constant('/api/videos/') },
  { weight: 1, arbitrary: pick('//api//videos/', '/API/VIDEOS/', '/api/videos//') },
);
const videoIds = fc.oneof(
  { weight: 3, arbitrary: pick('{VIDEO}', '{VIDEO_UPPER}', '{VIDEO_PCT}', '{VIDEO}0', '{VIDEO_CUT}', '{VIDEO}%00', '{VIDEO}.mp4') },
  { weight: 4, arbitrary: segment },
);

// --- uploads ------------------------------------------------------------------------------------

/** File bytes that are no accepted container, whatever prefix of them the server sees. */
const garbageFile = fc
  .oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 2, arbitrary: hostileString.map((s) => Buffer.from(s)) },
    { weight: 2, arbitrary: fc.integer({ min: 300, max: 100_000 }).map((n) => Buffer.alloc(n, 'a')) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  )
  .filter((bytes) => bytes.length === 0 || (bytes[0] !== 0x47 && sniffContainer(bytes.subarray(0, 377)) === null));

/** The first bytes of each accepted container (then garbage): these only travel in an invalid upload. */
const containerFile = fc
  .tuple(
    pick(
      Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2', 'latin1'),
      Buffer.from('\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00', 'latin1'),
      Buffer.from('\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm', 'latin1'),
      Buffer.from('RIFF\x00\x00\x00\x00AVI LIST', 'latin1'),
      Buffer.from('FLV\x01\x05\x00\x00\x00\x09', 'latin1'),
      Buffer.concat([Buffer.from([0x47]), Buffer.alloc(187), Buffer.from([0x47]), Buffer.alloc(187), Buffer.from([0x47])]),
    ),
    fc.uint8Array({ maxLength: 3_000 }),
  )
  .map(([head, tail]) => Buffer.concat([head, Buffer.from(tail)]));

const filenameArb = fc.oneof(
  { weight: 3, arbitrary: pick('clip.mp4', 'video.webm', '我的视频.mov', 'a b.mp4', 'IMG_0001.MOV') },
  {
    weight: 1,
    arbitrary: pick(
      'clip.mp4',
      '',
      '../../etc/passwd',
      '..\\..\\x.mp4',
      'a"b.mp4',
      'a\r\nX-Injected: 1.mp4',
      '.mp4',
      'x'.repeat(300),
      '中文.mp4',
      '%00.mp4',
    ),
  },
  { weight: 1, arbitrary: hostileText },
);
const filePart = (content: fc.Arbitrary<Buffer>) =>
  fc.record(
    {
      name: fc.oneof(
        { weight: 5, arbitrary: fc.constant('video') },
        { weight: 1, arbitrary: fc.oneof(PROTO_KEYS, hostileText, pick('Video', 'video ', 'file')) },
      ),
      filename: filenameArb,
      type: pick('video/mp4', 'application/octet-stream', 'text/plain', '', 'garbage/\u00ff'),
      content,
    },
    { requiredKeys: ['name', 'filename', 'content'] },
  );
const fieldPart = fc.record({
  name: fc.oneof(pick('title', 'description', 'video'), PROTO_KEYS, hostileText),
  content: fc.oneof(titleish, hostileString),
});

type Invalidator = 'anonymous' | 'open' | 'long-title' | 'second-file' | 'wrong-field' | 'many-fields';

/**
 * A multipart upload. With no real video header it can only be refused (2001 / 2002 / 9000 / 1011);
 * with one, an invalidator makes sure it is refused too (login, unfinished form, title too long,
 * a second file, a file in another field, too many fields).
 */
const structuredUpload: fc.Arbitrary<Req> = fc
  .record({
    via: VIA,
    boundary: fc.oneof(
      { weight: 5, arbitrary: pick('ps-hostile-boundary', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'zz') },
      { weight: 1, arbitrary: boundaryArb.filter((b) => b.length > 0 && b.length <= 70 && !b.includes('"')) },
    ),
    parts: fc.oneof(
      // The form a browser sends (title, description, the file), with a file that is no video.
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.option(
              fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) }, { weight: 1, arbitrary: titleish }),
              {
                nil: undefined,
              },
            ),
            fc.option(
              fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) }, { weight: 1, arbitrary: titleish }),
              {
                nil: undefined,
              },
            ),
            filePart(garbageFile),
          )
          .map(([title, description, file]) => [
            ...(title === undefined ? [] : [{ name: 'title', content: title }]),
            ...(description === undefined ? [] : [{ name: 'description', content: description }]),
            file,
          ]),
      },
      // Any parts in any order.
      { weight: 2, arbitrary: fc.array(fc.oneof(filePart(garbageFile), fieldPart), { maxLength: 5 }) },
    ),
    // A quarter of the uploads also carry a real video header, in a form that is invalid otherwise.
    video: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.tuple(
          filePart(containerFile),
          fc.nat({ max: 5 }),
          pick<Invalidator>('anonymous', 'open', 'long-title', 'second-file', 'wrong-field', 'many-fields'),
        ),
      },
    ),
    end: pick<'close' | 'open' | 'epilogue' | 'preamble'>('close', 'close', 'close', 'close', 'close', 'open', 'epilogue', 'preamble'),
    cookie: fc.oneof({ weight: 3, arbitrary: pick('ps.sid={OWNER}', 'ps.sid={OTHER}') }, { weight: 1, arbitrary: ANY_COOKIE }),
    anonymous: ANON_COOKIE,
    query: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryFor(['title', 'description']) }),
    typeVariant: fc.nat({ max: 40 }),
    extra: headerExtras,
  })
  .map(({ via, boundary, parts, video, end, cookie, anonymous, query, typeVariant, extra }) => {
    const all: Part[] = [...parts];
    let finalEnd = end;
    let finalCookie = cookie;
    if (video) {
      const [part, at, invalidator] = video;
      const file = { ...part, name: invalidator === 'wrong-field' ? 'not-video' : 'video' };
      all.splice(Math.min(at, all.length), 0, file);
      if (invalidator === 'anonymous') finalCookie = anonymous;
      if (invalidator === 'open') finalEnd = 'open';
      if (invalidator === 'long-title') all.push({ name: 'title', content: 'x'.repeat(81 + at) });
      if (invalidator === 'second-file') all.push({ name: 'video', filename: 'second.mp4', content: 'second' });
      if (invalidator === 'many-fields') for (let i = 0; i < 12; i++) all.push({ name: `f${i}`, content: String(i) });
    }
    const body = multipartBody(boundary, all, finalEnd);
    // Mostly the right type; sometimes a broken one (the form then cannot be read at all).
    const type =
      typeVariant < 36
        ? `multipart/form-data; boundary=${boundary}`
        : [
            'multipart/form-data; boundary=wrong',
            'multipart/form-data',
            `multipart/mixed; boundary=${boundary}`,
            `text/plain; boundary=${boundary}`,
            `multipart/form-data; boundary="${boundary}"`,
          ][typeVariant - 36];
    const headers: [string, string][] = [['Content-Type', type]];
    if (finalCookie !== undefined) headers.push(['Cookie', finalCookie]);
    headers.push(...extra);
    return { via, method: 'POST', path: `/api/videos/video_upload${query}`, headers, body };
  });

const UPLOAD_PATHS = pathVariants('/api/videos/video_upload');
const otherUploadBodies: fc.Arbitrary<Req> = fc.oneof(
  // Not multipart at all (JSON, urlencoded, nothing, garbage types): there is no file.
  paramRequest({ methods: pick('POST'), paths: UPLOAD_PATHS, names: ['video', 'title', 'description'], cookies: ANY_COOKIE }),
  // A multipart type over random bytes or text.
  fc
    .record({
      via: VIA,
      type: multipartType('zz'),
      body: fc.oneof(
        fc.uint8Array({ maxLength: 4_000 }).map((b) => Buffer.from(b)),
        hostileString,
      ),
      cookie: cookieFor(['{OWNER}', '{OTHER}']),
    })
    .map(({ via, type, body, cookie }): Req => ({
      via,
      method: 'POST',
      path: '/api/videos/video_upload',
      headers:
        cookie === undefined
          ? [['Content-Type', type]]
          : [
              ['Content-Type', type],
              ['Cookie', cookie],
            ],
      body: typeof body === 'string' ? body : Buffer.from(body.filter((byte) => byte !== 0x47)),
    })),
);

// --- raw sockets ----------------------------------------------------------------------------------

/** Request targets a browser would never send (absolute, asterisk, raw UTF-8, spaces, NUL, broken escapes). */
const RAW_TARGETS = pick(
  '*',
  'http://evil.example/api/account/me',
  '/api/users/中文',
  '/api/videos/\u00ff\u00fe',
  '/api/account/me?x=中文',
  '/api/videos/a b',
  '/api/account/me\u0000',
  '/api/account/me\t',
  '/api/%',
  '/api/videos/%E0%A4%A/stream',
  '/api/users/%E0%A4%A',
  'api/health',
  '//api//account/me',
  '/api/account/sendvcode?email=%ED%A0%80',
  '',
);
const RAW_HEADER_LINES = fc.oneof(
  pick(
    'Cookie: ps.sid={OTHER}\x01',
    'Cookie: ps.sid={OTHER}',
    'Cookie: ps.sid=中文',
    'Cookie: ps.sid=\x7f',
    'X-Forwarded-For: \x00',
    'X-Forwarded-For: 中文',
    'Accept-Language: \x08en',
    'Accept-Language: 中文',
    'Range: bytes=\x000-1',
    'Range: bytes=0-1',
    'Header-Without-Colon',
    ': empty-name',
    ' folded: continuation',
    '\tfolded-tab',
    'Host: a',
    'Host: b',
    'Expect: 100-continue',
    'Expect: garbage',
    'Content-Type: application/json',
    'Content-Type: multipart/form-data; boundary=zz',
    'Content-Type: application/x-www-form-urlencoded',
    'Content-Type: 中文',
    'Transfer-Encoding: gzip, chunked',
    'Transfer-Encoding: identity',
    'Connection: keep-alive, Upgrade',
    'Upgrade: websocket',
    'Content-Length: -1',
    'Content-Length: 1e3',
    'Content-Length: 99999999999999999999',
    'X-Caf\u00e9: 1',
    'Bad Header: 1',
  ),
  fc.integer({ min: 100, max: 2_500 }).map((n) => Array.from({ length: n }, (_, i) => `X-H${i}: ${i}`).join('\r\n')),
  fc.integer({ min: 8_000, max: 20_000 }).map((n) => `X-Big: ${'x'.repeat(n)}`),
);

interface SocketBase {
  method: string;
  path: string;
  lines: string[];
  body: string | Buffer;
}
const UPLOAD_LINES = ['Content-Type: multipart/form-data; boundary=zz', 'Cookie: ps.sid={OTHER}'];
/** Well-formed requests over a socket, each then broken in one or two ways (or not at all). */
const socketBase: fc.Arbitrary<SocketBase> = fc.oneof(
  fc
    .tuple(
      pick('/api/account/sendvcode', '/api/account/login', '/api/account/register', '/api/account/validatevacode'),
      cleanRequest(['email', 'user', 'password', 'vcode']),
    )
    .map(([path, { query, body }]) => ({
      method: 'POST',
      path: path + query,
      lines: body.type === undefined ? [] : [`Content-Type: ${body.type}`],
      body: body.body ?? '',
    })),
  // An upload that stops before its closing boundary (never a valid form), with a video header or not.
  fc.tuple(filePart(fc.oneof(garbageFile, containerFile)), fc.nat({ max: 4_000 })).map(([part, cut]) => {
    const body = multipartBody('zz', [{ ...part, name: 'video' }], 'open');
    return {
      method: 'POST',
      path: '/api/videos/video_upload',
      lines: UPLOAD_LINES,
      body: body.subarray(0, Math.max(1, cut % (body.length + 1))),
    };
  }),
  // A whole upload of something that is no video.
  filePart(garbageFile).map((part) => ({
    method: 'POST',
    path: '/api/videos/video_upload',
    lines: UPLOAD_LINES,
    body: multipartBody('zz', [{ ...part, name: 'video' }], 'close'),
  })),
  pick(
    ['GET', '/api/account/me', 'Cookie: ps.sid={OTHER}'],
    ['GET', '/api/videos/{VIDEO}/stream', 'Range: bytes=0-99'],
    ['GET', '/api/videos/{VIDEO}/cover', 'If-None-Match: *'],
    ['GET', '/api/videos?uid={UID}', ''],
    ['DELETE', '/api/videos/{VIDEO}', 'Cookie: ps.sid={OTHER}'],
    ['GET', '/api/users/{UID}', ''],
    ['GET', '/api/health', ''],
  ).map(([method, path, line]) => ({ method, path, lines: line ? [line] : [], body: '' })),
);
type SocketMutation = 'method' | 'target' | 'version' | 'eol' | 'header' | 'framing';
const socketRequest: fc.Arbitrary<Req> = fc
  .record({
    base: socketBase,
    mutations: fc.uniqueArray(pick<SocketMutation>('method', 'target', 'version', 'eol', 'header', 'framing'), { maxLength: 2 }),
    method: pick('get', 'FOO', 'G E T', 'PROPFIND', 'OPTIONS', 'PUT', 'PATCH', 'TRACE', 'POST'),
    target: RAW_TARGETS,
    version: pick('HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', 'HTTP/1', '', 'http/1.1'),
    eol: pick('\n', '\r\n\r\n'),
    headers: fc.array(RAW_HEADER_LINES, { minLength: 1, maxLength: 3 }),
    framing: pick<Framing>(
      'short-length',
      'chunked',
      'chunked',
      'bad-chunked',
      'length+chunked',
      'double-length',
      'none',
      'abort',
      'abort',
    ),
  })
  .map(({ base, mutations, method, target, version, eol, headers, framing }): Req => {
    const has = (mutation: SocketMutation) => mutations.includes(mutation);
    const lines = [...base.lines, ...(has('header') ? headers : [])];
    return {
      via: 'socket',
      method: has('method') ? method : base.method,
      path: has('target') ? target : base.path,
      version: has('version') ? version : 'HTTP/1.1',
      eol: has('eol') ? eol : '\r\n',
      headers: lines.map((line): [string, string] => ['', line]),
      body: base.body,
      framing: has('framing') ? framing : 'length',
    };
  });

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

/** The codes mailed so far and the accounts' password: never sent, so nothing valid can register. */
function secrets(): string[] {
  const codes = smtp.mails.map((mail) => mail.text.match(/Verification code: (\d{6})/)?.[1]).filter((code): code is string => !!code);
  return [...new Set([...codes, PASSWORD])];
}
const scrubText = (text: string, words: string[]) => words.reduce((acc, word) => acc.split(word).join(`${word.slice(0, -1)}x`), text);

async function fill(text: string): Promise<string> {
  let result = text;
  if (result.includes('{SESSION}')) {
    const res = await login(t.client(), other);
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .join('; ')
      .match(/ps\.sid=([^;]+)/)?.[1];
    if (!cookie) throw new Error(`harness: no session (${JSON.stringify(res.body)})`);
    result = result.split('{SESSION}').join(cookie);
  }
  for (const [name, value] of tokens) result = result.split(`{${name}}`).join(value);
  return result;
}

/** Tokens filled in, secrets scrubbed out (first, so that a token is never changed), body compressed. */
async function materialize(req: Req): Promise<Req> {
  const words = secrets();
  const text = async (s: string) => fill(scrubText(s, words));
  const path = await text(req.path);
  const headers: [string, string][] = [];
  for (const [name, value] of req.headers) headers.push([name, await text(value)]);
  let body: string | Buffer | undefined;
  if (typeof req.body === 'string') body = await text(req.body);
  else if (req.body) body = Buffer.from(await text(req.body.toString('latin1')), 'latin1');
  if (req.compress && body !== undefined) body = req.compress === 'gzip' ? gzipSync(body) : deflateSync(body);
  const actual: Req = { ...req, path, headers, body };
  if (req.via !== 'socket') {
    // node:http takes no space, control or non-Latin-1 character in a path; send those percent-encoded.
    actual.path = [...path].map((c) => (/[\x21-\x7e]/.test(c) ? c : pct(c))).join('');
    // supertest goes through WHATWG URL, which rewrites some paths (dot segments, quotes, fragments): send those as they are.
    // superagent flushes the head early when there is an Expect header, then fails to set the rest.
    const expect = req.headers.some(([name]) => name.toLowerCase() === 'expect');
    if (req.via === 'supertest' && (expect || !SUPERTEST_METHODS.has(req.method) || !survivesUrl(actual.path))) actual.via = 'http';
  }
  guard(req, actual);
  return actual;
}

const SUPERTEST_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
function survivesUrl(path: string): boolean {
  try {
    const url = new URL(path, 'http://127.0.0.1');
    return path.startsWith('/') && !path.startsWith('//') && url.pathname + url.search === path;
  } catch {
    return false;
  }
}

/** The generators must never log the test's own sessions out or delete the test video (a harness bug, not a server one). */
function guard(template: Req, actual: Req) {
  const cookie = template.headers.map(([, value]) => value).join(' ');
  const ownSession = cookie.includes('{OWNER}') || cookie.includes('{OTHER}');
  const path = actual.path.toLowerCase().replace(/\/+/g, '/');
  if (ownSession && /account\/logout/.test(path)) throw new Error('harness: would log the test session out');
  if (cookie.includes('{OWNER}') && actual.method.toUpperCase() === 'DELETE' && /\{video/i.test(template.path)) {
    throw new Error('harness: would delete the test video');
  }
}

function describeReq(req: Req): string {
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

const collect = (res: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => callback(error, Buffer.concat(chunks)));
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

async function viaSupertest(req: Req): Promise<Answer> {
  const client: TestAgent = t.client();
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

function port(): number {
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

function viaHttp(req: Req): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: '127.0.0.1',
      port: port(),
      method: req.method,
      path: req.path,
      agent: false,
      timeout: REQUEST_TIMEOUT_MS,
    });
    request.setHeader('X-Forwarded-For', `10.${sent % 250}.${(sent >> 8) % 250}.${Math.floor(Math.random() * 250)}`);
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

function rawBytes(req: Req): { head: Buffer; body: Buffer; partial?: boolean } {
  const eol = req.eol ?? '\r\n';
  const body = Buffer.from(req.body ?? '');
  const lines = [
    `${req.method} ${req.path} ${req.version ?? 'HTTP/1.1'}`.trimEnd(),
    'Host: 127.0.0.1',
    `X-Forwarded-For: 10.9.${sent % 250}.${Math.floor(Math.random() * 250)}`,
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

function viaSocket(req: Req): Promise<Answer[] | 'aborted'> {
  const { head, body, partial } = rawBytes(req);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: port() });
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

// ---------------------------------------------------------------------------------------------
// Judging an answer
// ---------------------------------------------------------------------------------------------

const ERRNOS = new Set([
  0, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 2001, 2002, 2003, 2004, 2005, 2006, 9000, 9404, 9999,
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

function problemWith(req: Req, answer: Answer): string | undefined {
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
    if (status === 404 && ![9404, 2004, 2006].includes(errno)) return `HTTP 404 with errno ${errno}`;
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
  if (bytes && [200, 206, 304].includes(status)) return undefined;
  return `a non-JSON answer (${status} ${type || 'no type'}) on /api`;
}

/** Sends one generated request and fails with the exact request, the answer and the server's log lines. */
async function check(template: Req): Promise<void> {
  const req = await materialize(template);
  const logFrom = serverLog.length + logDropped;
  sent++;
  let answers: Answer[];
  try {
    if (req.via === 'socket') {
      const result = await viaSocket(req);
      if (result === 'aborted') {
        aborted++;
        return;
      }
      answers = result;
      // Every complete request over a socket gets an answer (Node's own 400 counts).
      if (answers.length === 0) throw new Error('the connection closed without an answer');
    } else {
      answers = [req.via === 'http' ? await viaHttp(req) : await viaSupertest(req)];
    }
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    throw new Error(`${describeReq(req)}\n→ ${String(error)}${logOf(logFrom)}`, { cause: error });
  }
  for (const answer of answers) {
    const problem = problemWith(req, answer);
    if (problem) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error(
        `${problem}\n${describeReq(req)}\n→ HTTP ${answer.status} ${answer.headers['content-type'] ?? ''} ${JSON.stringify(answer.body.toString('utf8').slice(0, 400))}${logOf(logFrom)}`,
      );
    }
  }
}

function logOf(from: number): string {
  // Each log entry: its first line and the top of its stack, each line cut short.
  const entries = serverLog.slice(Math.max(0, from - logDropped)).map((entry) =>
    entry
      .split('\n')
      .slice(0, 4)
      .map((line) => (line.length > 500 ? `${line.slice(0, 250)} … ${line.slice(-250)}` : line))
      .join('\n'),
  );
  return entries.length ? `\nserver log:\n${entries.join('\n')}` : '';
}

/** A fixed seed keeps CI reproducible; HOSTILE_SEED=random (or a number) explores further. */
const SEED = process.env.HOSTILE_SEED === 'random' ? Date.now() : Number(process.env.HOSTILE_SEED ?? 20261124);

function run(arbitrary: fc.Arbitrary<Req>, numRuns: number) {
  return fc.assert(
    fc.asyncProperty(arbitrary, (req) => check(req)),
    // Shrinking resends requests; past the budget fast-check reports the smallest failure found so far.
    { numRuns, seed: SEED, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS, { failOnInterrupt: true })] },
  );
}

// ---------------------------------------------------------------------------------------------
// Setup and state
// ---------------------------------------------------------------------------------------------

function storedFiles(): string[] {
  const root = t.config.storageDir;
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function counts() {
  const data = t.app.get(DataSource);
  return { users: await data.getRepository(User).count(), videos: await data.getRepository(Video).count() };
}

const sessionOf = (res: { headers: Record<string, string | string[] | undefined> }) => {
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .join('; ')
    .match(/ps\.sid=([^;]+)/)?.[1];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
};

let restoreWrites: (() => void) | undefined;
const ANSI_COLOURS = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

beforeAll(async () => {
  // Keep what the server logs (the ErrnoFilter's lines) so that a failure can show it.
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap =
    (write: typeof out) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      serverLog.push(String(chunk).replace(ANSI_COLOURS, '').trimEnd());
      if (serverLog.length > 5_000) {
        serverLog.splice(0, 1_000);
        logDropped += 1_000;
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(out);
  process.stderr.write = tap(err);
  restoreWrites = () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };

  smtp = await new SmtpCapture().start();
  t = await startApp(testEnv({ SMTP_URL: smtp.url, UPLOAD_MAX_BYTES: String(CAP) }));
  const owner = await register(t.client(), smtp, 'owner');
  other = await register(t.client(), smtp, 'other');
  const victim = await register(t.client(), smtp, 'victim');

  const ownerClient = t.client();
  const ownerCookie = sessionOf(await login(ownerClient, owner));
  const otherCookie = sessionOf(await login(t.client(), other));
  const staleClient = t.client();
  const staleCookie = sessionOf(await login(staleClient, other));
  expect((await staleClient.get('/api/account/logout')).body.errno).toBe(0);

  const upload = await ownerClient.post('/api/videos/video_upload').attach('video', mp4(), 'clip.mp4');
  expect(upload.body.errno).toBe(0);
  await t.app.get(VideoProcessor).idle();
  const videoId = upload.body.video.id as string;
  const stream = await t
    .client()
    .get(`/api/videos/${videoId}/stream`)
    .buffer(true)
    .parse((res, callback) => collect(res as unknown as NodeJS.ReadableStream, callback));
  expect(stream.status).toBe(200);

  // Emails with a live code that the generators know of, so that 1007 / 1008 are reached (never 0).
  const pending = [randomEmail('pending'), randomEmail('pending'), randomEmail('pending')];
  for (const email of pending) await requestCode(t.client(), smtp, email);

  const sid = decodeURIComponent(ownerCookie).slice(2).split('.')[0];
  const values: Record<string, string> = {
    OWNER: ownerCookie,
    OTHER: otherCookie,
    STALE: staleCookie,
    SIDONLY: sid,
    BADSIG: encodeURIComponent(`s:${sid}.${'A'.repeat(43)}`),
    VIDEO: videoId,
    VIDEO_UPPER: videoId.toUpperCase(),
    VIDEO_PCT: [...videoId].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
    VIDEO_CUT: videoId.slice(0, -1),
    ETAG: String(stream.headers.etag ?? ''),
    LASTMOD: String(stream.headers['last-modified'] ?? ''),
    UID: String(owner.uid),
    OTHER_UID: String(other.uid),
    VICTIM: victim.email,
    VICTIM_UID: String(victim.uid),
    VICTIM_UPPER: victim.email.toUpperCase(),
    OWNER_EMAIL: owner.email,
    PENDING0: pending[0],
    PENDING1: pending[1],
    PENDING2: pending[2],
    PENDING1_UPPER: pending[1].toUpperCase(),
  };
  for (const [name, value] of Object.entries(values)) tokens.set(name, value);

  before = { ...(await counts()), files: storedFiles() };
}, 120_000);

afterAll(async () => {
  console.log(`hostile (seed ${SEED}): ${sent} requests (${aborted} cut off on purpose)`);
  restoreWrites?.();
  await t?.close();
  await smtp?.stop();
});

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

const POST_MOSTLY = fc.oneof(
  { weight: 12, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: pick('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
);
const GET_MOSTLY = fc.oneof(
  { weight: 12, arbitrary: fc.constant('GET') },
  { weight: 1, arbitrary: pick('POST', 'PUT', 'PATCH', 'OPTIONS') },
);

describe('hostile input: every answer is a contract answer', () => {
  it(
    'POST /api/account/sendvcode',
    () =>
      run(
        paramRequest({ methods: POST_MOSTLY, paths: pathVariants('/api/account/sendvcode'), names: ['email'], cookies: ANY_COOKIE }),
        300,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'POST /api/account/validatevacode',
    () =>
      run(
        paramRequest({
          methods: POST_MOSTLY,
          paths: pathVariants('/api/account/validatevacode'),
          names: ['email', 'vcode'],
          cookies: ANY_COOKIE,
        }),
        250,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'POST /api/account/register',
    () =>
      run(
        paramRequest({
          methods: POST_MOSTLY,
          paths: pathVariants('/api/account/register'),
          names: ['email', 'vcode', 'username', 'password_1', 'password_2'],
          cookies: ANY_COOKIE,
        }),
        250,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'POST /api/account/login',
    () =>
      run(
        paramRequest({
          methods: POST_MOSTLY,
          paths: pathVariants('/api/account/login'),
          names: ['user', 'password'],
          cookies: cookieFor(['{OWNER}', '{STALE}']),
        }),
        150,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'GET /api/account/logout (anonymous, stale, forged and live throwaway sessions)',
    () =>
      run(
        paramRequest({
          methods: GET_MOSTLY,
          paths: pathVariants('/api/account/logout'),
          names: ['x'],
          cookies: fc.oneof({ weight: 3, arbitrary: ANON_COOKIE }, { weight: 1, arbitrary: fc.constant('ps.sid={SESSION}') }),
        }),
        120,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'GET /api/account/me',
    () => run(paramRequest({ methods: GET_MOSTLY, paths: pathVariants('/api/account/me'), names: ['uid'], cookies: ANY_COOKIE }), 200),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'GET /api/users/:uid',
    () =>
      run(
        paramRequest({
          methods: GET_MOSTLY,
          paths: fc
            .tuple(
              fc.oneof(
                { weight: 8, arbitrary: fc.constant('/api/users/') },
                { weight: 1, arbitrary: pick('//api/users/', '/API/USERS/', '/api//users/') },
              ),
              fc.oneof(PLAUSIBLE.uid, segment),
            )
            .map(([prefix, uid]) => prefix + uid),
          names: ['uid'],
          cookies: ANY_COOKIE,
        }),
        200,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'GET /api/videos (list)',
    () =>
      run(
        paramRequest({ methods: GET_MOSTLY, paths: pathVariants('/api/videos'), names: ['uid', 'page', 'page_size'], cookies: ANY_COOKIE }),
        250,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'GET /api/videos/:id',
    () =>
      run(
        paramRequest({
          methods: GET_MOSTLY,
          paths: fc.tuple(VIDEO_PREFIX, videoIds).map(([prefix, id]) => prefix + id),
          names: ['id'],
          cookies: ANY_COOKIE,
        }),
        150,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  const RANGE = fc.oneof(
    pick(
      'bytes=0-',
      'bytes=0-0',
      'bytes=-1',
      'bytes=-0',
      'bytes=0-99999999999999999999',
      'bytes=99999999999999999999-',
      'bytes=5-1',
      'bytes=--1',
      'bytes=a-b',
      'bytes=',
      'bytes',
      '=',
      'bits=0-1',
      'bytes=0-1,2-3',
      'bytes=0-1, 0-1, 0-1',
      'bytes=1-2,0-0,3-',
      'bytes=-9007199254740993',
      'bytes=9007199254740992-9007199254740993',
      'bytes= 0 - 1',
      'BYTES=0-1',
      'bytes=0-1;x',
      'bytes=1e3-2e3',
      'bytes=0x0-0x10',
      'bytes=-',
      'bytes=0--1',
      'bytes=1000000-',
      '',
      ' ',
    ),
    fc.tuple(fc.nat({ max: 2_000_000 }), fc.nat({ max: 2_000_000 })).map(([a, b]) => `bytes=${a}-${b}`),
    fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: -1n, max: 10n ** 30n }))
      .map(([a, b]) => `bytes=${a}-${b < 0n ? '' : b}`),
    fc
      .array(fc.tuple(fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 })), { minLength: 2, maxLength: 2_000 })
      .map((ranges) => `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(',')}`),
    latin1Text(100).map((s) => `bytes=${s}`),
    latin1Text(100),
  );
  const CONDITIONAL = fc.array(
    fc.tuple(
      pick('If-Range', 'If-None-Match', 'If-Modified-Since', 'If-Match', 'If-Unmodified-Since'),
      fc.oneof(
        pick(
          '{ETAG}',
          '{LASTMOD}',
          '*',
          'W/"x"',
          '"x"',
          'Thu, 01 Jan 1970 00:00:00 GMT',
          'Fri, 31 Dec 9999 23:59:59 GMT',
          'garbage',
          '',
          '{ETAG}, "x"',
        ),
        latin1Text(60),
      ),
    ),
    { maxLength: 2 },
  );
  const byteRequest = (suffix: string) =>
    fc
      .record({
        req: paramRequest({
          methods: GET_MOSTLY,
          paths: fc
            .tuple(
              VIDEO_PREFIX,
              fc.oneof({ weight: 3, arbitrary: fc.constant('{VIDEO}') }, { weight: 2, arbitrary: videoIds }),
              pick(suffix, suffix, suffix, `${suffix}/`, suffix.toUpperCase(), `/${suffix}`),
            )
            .map(([prefix, id, tail]) => `${prefix}${id}/${tail}`),
          names: ['x'],
          cookies: ANY_COOKIE,
        }),
        range: fc.option(RANGE, { nil: undefined, freq: 5 }),
        conditional: CONDITIONAL,
      })
      .map(({ req, range, conditional }) => ({
        ...req,
        headers: [...req.headers, ...(range === undefined ? [] : [['Range', range] as [string, string]]), ...conditional],
      }));

  it('GET /api/videos/:id/stream (absurd ranges, conditional headers)', () => run(byteRequest('stream'), 300), PROPERTY_TIMEOUT_MS);

  it('GET /api/videos/:id/cover', () => run(byteRequest('cover'), 150), PROPERTY_TIMEOUT_MS);

  it(
    'DELETE /api/videos/:id',
    () =>
      run(
        fc.oneof(
          // Any id but the test video's, any session.
          paramRequest({
            methods: pick('DELETE'),
            paths: fc.tuple(VIDEO_PREFIX, segment).map(([prefix, id]) => prefix + id),
            names: ['id'],
            cookies: ANY_COOKIE,
          }),
          // The test video (in several spellings), by anyone but its owner: 2005 / 1011.
          paramRequest({
            methods: pick('DELETE'),
            paths: fc
              .tuple(
                VIDEO_PREFIX,
                videoIds.filter((id) => id.startsWith('{VIDEO')),
              )
              .map(([prefix, id]) => prefix + id),
            names: ['id'],
            cookies: cookieFor(['{OTHER}', '{STALE}']),
          }),
        ),
        200,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'POST /api/videos/video_upload (structured multipart, truncated, mislabelled)',
    () => run(fc.oneof({ weight: 3, arbitrary: structuredUpload }, { weight: 1, arbitrary: otherUploadBodies }), 300),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'unknown routes, wrong methods and //api/... paths',
    () =>
      run(
        fc
          .record({
            method: pick('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'TRACE'),
            path: fc.oneof(
              fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/api/${segments.join('/')}`),
              fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => `//api//${segments.join('//')}`),
              pick(
                '/api/account/sendvcode',
                '/api/account/login',
                '/api/account/register',
                '/api/account/me',
                '/api/videos',
                '/api/videos/{VIDEO}',
                '/api/videos/video_upload',
                '/api/users/{UID}',
                '/api/health',
                '//api/account/me',
                '//api//account//me',
                '///api/videos',
                '//api/users/{UID}',
                '//api/videos/{VIDEO}',
                '//api/videos/{VIDEO}/stream',
                '//api/health',
                '/api//health',
                '/',
                '/index.html',
                '/favicon.ico',
                '/assets/..%2f..%2fpackage.json',
                '/..%2f..%2fpackage.json',
                '/%2e%2e/%2e%2e/etc/passwd',
                '/.env',
                '/data/personal-space.sqlite',
                '/space/1234567890',
                '/api',
                '/api/',
                '/apix',
                '/ap%69/health',
                '/API/HEALTH',
                '/api/health/',
                '/api/health.json',
                '/api/health;x',
                '/api/health%00',
                '/api/health%2F',
                '/api/account',
                '/api/account/',
                '/api/videos/video_upload/x',
                '/api/videos/{VIDEO}/stream/x',
                '/api/users',
                '/api/users/',
                '/api/%E0%A4%A',
                '/api/videos/%E0%A4%A/stream',
                '/api/users/%E0%A4%A',
                '/api/videos/%',
                '/api/users/%zz',
                '/api/..%2f',
                '/api/..%2findex.html',
                '/api/videos/..%2f..%2f',
                '/api/%2e%2e/index.html',
                '/api/users/..%2F..%2Fassets',
                '/api/../index.html',
              ),
            ),
            req: paramRequest({
              methods: pick('GET'),
              paths: fc.constant(''),
              names: ['email', 'uid'],
              cookies: cookieFor(['{OTHER}', '{STALE}']),
            }),
          })
          .map(({ method, path, req }) => ({ ...req, method, path: path + req.path })),
        300,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it('raw sockets: broken framing, request lines and headers; uploads cut off', () => run(socketRequest, 300), PROPERTY_TIMEOUT_MS);
});

describe('after the storm', () => {
  it('the server is alive, the session and the video are intact, and nothing was created', async () => {
    const health = await t.client().get('/api/health');
    expect(health.body).toMatchObject({ errno: 0, msg: 'ok', db: 'up', storage: 'up' });

    const me = await t
      .client()
      .get('/api/account/me')
      .set('Cookie', `ps.sid=${tokens.get('OWNER')}`);
    expect(me.body).toMatchObject({ errno: 0, user: { uid: Number(tokens.get('UID')), video_count: 1 } });
    const video = await t.client().get(`/api/videos/${tokens.get('VIDEO')}`);
    expect(video.body).toMatchObject({ errno: 0, video: { status: 'ready' } });

    expect(await counts()).toEqual({ users: before.users, videos: before.videos });

    // Refused and cut-off uploads leave no file behind (their cleanup may take a moment).
    let files = storedFiles();
    for (let i = 0; i < 40 && JSON.stringify(files) !== JSON.stringify(before.files); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      files = storedFiles();
    }
    expect(files).toEqual(before.files);
  }, 30_000);
});
