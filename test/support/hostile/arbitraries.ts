/**
 * The generators of the hostile spec (fast-check): requests to every endpoint with missing, empty,
 * huge, unicode and control-character values, numbers / arrays / objects where strings belong,
 * prototype keys, SQL and path metacharacters, wrong content types, truncated multipart bodies,
 * absurd ranges and cookies, broken query strings and, for raw sockets, broken HTTP framing. They
 * cannot make a valid registration or upload: no code is ever known to them, and a real video
 * header only travels in an upload that is otherwise invalid.
 */
import fc from 'fast-check';
import { sniffContainer } from '../../../src/videos/container.js';

// ---------------------------------------------------------------------------------------------
// The request model: what the generators produce and the counterexamples show. `{NAME}` tokens
// stand for values known only at run time (cookies, ids); they are filled in just before sending.
// ---------------------------------------------------------------------------------------------

type Via = 'supertest' | 'http' | 'socket';
/** How a raw-socket request frames its body. */
type Framing = 'length' | 'short-length' | 'chunked' | 'bad-chunked' | 'length+chunked' | 'double-length' | 'none' | 'abort';

export interface Req {
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

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

export const pick = <T>(...values: T[]) => fc.constantFrom(...values);
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
export const PLAUSIBLE: Record<string, fc.Arbitrary<string>> = {
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
export const pct = (value: string) =>
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
export const cookieFor = (sessions: string[]): fc.Arbitrary<string | undefined> => {
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
export const ANON_COOKIE = cookieFor(['{STALE}']);
export const ANY_COOKIE = cookieFor(['{OWNER}', '{OTHER}', '{STALE}']);

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
export function paramRequest(opts: {
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

export const pathVariants = (path: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(path) },
    { weight: 1, arbitrary: pick(`/${path}`, `${path}/`, path.replace('/api/', '/api//'), `//${path.slice(1).replace(/\//g, '//')}`) },
    { weight: 1, arbitrary: pick(path.toUpperCase(), `${path}?`, `${path}#x`, `${path};x`, `${path}%20`, `${path}.json`) },
  );

/** Path segments for :id and :uid. */
export const segment = fc.oneof(
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
export const VIDEO_PREFIX = fc.oneof(
  { weight: 8, arbitrary: fc.constant('/api/videos/') },
  { weight: 1, arbitrary: pick('//api//videos/', '/API/VIDEOS/', '/api/videos//') },
);
export const videoIds = fc.oneof(
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
export const structuredUpload: fc.Arbitrary<Req> = fc
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
export const otherUploadBodies: fc.Arbitrary<Req> = fc.oneof(
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
export const socketRequest: fc.Arbitrary<Req> = fc
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

// --- methods and byte endpoints ---------------------------------------------------------------------

export const POST_MOSTLY = fc.oneof(
  { weight: 12, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: pick('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
);
export const GET_MOSTLY = fc.oneof(
  { weight: 12, arbitrary: fc.constant('GET') },
  { weight: 1, arbitrary: pick('POST', 'PUT', 'PATCH', 'OPTIONS') },
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
export const byteRequest = (suffix: string) =>
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
