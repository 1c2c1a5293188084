import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP, isIPv4 } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface S3Config {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };

/** The whole configuration, read once from the environment and validated; inject it where needed. */
export class AppConfig {
  readonly production!: boolean;
  readonly port!: number;
  readonly database!: DatabaseConfig;
  readonly redisUrl!: string | undefined;
  readonly smtpUrl!: string | undefined;
  readonly smtpTimeoutMs!: number;
  readonly mailFrom!: string;
  readonly dataDir!: string;
  readonly storageDir!: string;
  readonly uploadMaxBytes!: number;
  readonly sessionSecret!: string;
  readonly cookieSecure!: boolean;
  /** Express `trust proxy`: false (the socket's address), a hop count, or the proxies' addresses. */
  readonly trustProxy!: TrustProxy;
  readonly cacheTimeoutMs!: number;
  readonly ffmpegPath!: string;
  readonly ffprobePath!: string;
  /** How many videos one process works on at once. */
  readonly processingConcurrency!: number;
  readonly processingQueueLimit!: number;
  /** `on`: this process runs processing jobs; `off`: it only enqueues them (an API-only instance). */
  readonly processing!: 'on' | 'off';
  /** Heights (the short side) of the HLS rungs below the source; the source itself is always a rung. */
  readonly hlsLadder!: number[];
  /** ffmpeg's `-threads` per run (0: ffmpeg decides). */
  readonly ffmpegThreads!: number;
  readonly transcodePreset!: string;
  readonly transcodeCrf!: number;
  /** Limits on every ffprobe/ffmpeg run: wall time, CPU time, address space, decoded frame size. */
  readonly processingTimeoutS!: number;
  readonly processingCpuS!: number;
  readonly processingMemoryMb!: number;
  readonly maxPixels!: number;
  readonly processingNice!: number;
  /** BullMQ's key prefix in Redis: deployments (or test runs) sharing one Redis keep their jobs apart. */
  readonly queuePrefix!: string;
  /** BullMQ: how long a job's lock lasts without renewal before another worker takes it over. */
  readonly processingLockMs!: number;
  /** The built web client (`npm run build` writes it), served at `/`. */
  readonly clientDir!: string;
  /** Origins allowed to call the API from other sites (CORS, with cookies); none by default. */
  readonly corsOrigins!: string[];
  /** How long SIGTERM waits for requests in flight before closing their connections. */
  readonly shutdownTimeoutMs!: number;
  /** Connections the HTTP server holds at once; more are closed as they arrive (server.maxConnections). */
  readonly httpMaxConnections!: number;
  /** How long a connection may take to send a request's headers (also a connection that sends nothing). */
  readonly httpHeadersTimeoutMs!: number;
  /** A silent socket, or a request body that moves less than 1 KiB in this time, is dropped. */
  readonly httpIdleTimeoutMs!: number;
  /** `local` (STORAGE_DIR) or `s3`. */
  readonly storage!: 'local' | 's3';
  readonly s3!: S3Config | null;
  /** pino's level for every log line (JSON on stdout). */
  readonly logLevel!: LogLevel;
  /** Whether `/metrics` answers (METRICS=on, or a METRICS_TOKEN given). */
  readonly metrics!: boolean;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`. */
  readonly metricsToken!: string | undefined;
  /** Swagger UI at /api/docs and the document at /api/docs-json (API_DOCS=off hides both). */
  readonly apiDocs!: boolean;
  /** Who may register: everyone, nobody, or the addresses REGISTRATION_ALLOW matches. */
  readonly registration!: Registration;
  /** Accounts with these (canonical) emails are admins. */
  readonly adminEmails!: string[];
  /** Bytes each account may store unless an admin set its own quota; null: unlimited. */
  readonly userQuotaBytes!: number | null;
  /** What an upload is when it does not say (`visibility`). */
  readonly defaultVisibility!: 'public' | 'unlisted' | 'private';
  /** How often counted views are written to the database, in one batch (a restart in memory mode loses at most this much). */
  readonly viewsFlushMs!: number;
}

export type Registration = { mode: 'open' } | { mode: 'closed' } | { mode: 'allowlist'; allow: string[] };

/** Whom X-Forwarded-For is believed from: nobody, the nearest N hops, or these addresses/ranges. */
export type TrustProxy = false | number | string[];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined) return fallback;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(name, `must be a whole number, got "${value}"`);
  }
  const number = Number(value);
  if (number < min || number > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${number}`);
  return number;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return value;
}

function database(env: Env, dataDir: string): DatabaseConfig {
  const value = text(env, 'DATABASE_URL');
  if (value === undefined) return { type: 'sqlite', path: join(dataDir, 'personal-space.sqlite') };
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError('DATABASE_URL', 'needs a file path after "sqlite:"');
    return { type: 'sqlite', path: resolve(path) };
  }
  const mysql = url(env, 'DATABASE_URL', ['mysql:', 'mariadb:']);
  if (mysql) return { type: 'mysql', url: mysql.replace(/^mariadb:/, 'mysql:') };
  throw new ConfigError('DATABASE_URL', 'must be sqlite:PATH or mysql://user:pass@host:3306/db');
}

/** The session secret: given, or else made once and kept in DATA_DIR so restarts keep sessions valid. */
function sessionSecret(env: Env, dataDir: string, production: boolean): string {
  const given = text(env, 'SESSION_SECRET');
  if (given) {
    if (given.length < 16) throw new ConfigError('SESSION_SECRET', 'must be at least 16 characters');
    return given;
  }
  if (production) throw new ConfigError('SESSION_SECRET', 'is required when NODE_ENV=production');
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, secret, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch {
    // Another instance created it first: use theirs.
    return readFileSync(file, 'utf8').trim();
  }
}

function s3(env: Env): S3Config {
  const required = (name: string) => {
    const value = text(env, name);
    if (!value) throw new ConfigError(name, 'is required when STORAGE=s3');
    return value;
  };
  return {
    endpoint: url(env, 'S3_ENDPOINT', ['http:', 'https:']),
    region: text(env, 'S3_REGION') ?? 'us-east-1',
    bucket: required('S3_BUCKET'),
    accessKeyId: required('S3_ACCESS_KEY_ID'),
    secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
  };
}

function origins(env: Env): string[] {
  const value = text(env, 'CORS_ORIGIN');
  if (!value) return [];
  return value.split(',').map((origin) => {
    const trimmed = origin.trim().replace(/\/$/, '');
    if (!/^https?:\/\/[^/\s]+$/.test(trimmed))
      throw new ConfigError('CORS_ORIGIN', `must list origins like https://app.example.com, got "${origin}"`);
    return trimmed;
  });
}

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Express's `trust proxy` takes it, without `true`: `true` believes the left-most
 * X-Forwarded-For address, which the client writes itself (nginx's $proxy_add_x_forwarded_for
 * appends to it), so anyone could pick the address every per-source limit counts.
 */
function trustProxy(env: Env): TrustProxy {
  const value = text(env, 'TRUST_PROXY')?.toLowerCase() ?? 'false';
  if (FALSE.has(value)) return false;
  if (TRUE.has(value) && value !== '1')
    throw new ConfigError(
      'TRUST_PROXY',
      `must not be "${env.TRUST_PROXY}": that would believe the client-written left-most X-Forwarded-For address. ` +
        'Give the hop count (the number of proxies in front of the server: 1 for one nginx) or their addresses (e.g. loopback,10.0.0.0/8)',
    );
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError('TRUST_PROXY', `must be a hop count between 1 and 10, got ${hops}`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !PROXY_RANGES.has(entry) && !isAddressOrRange(entry));
  if (bad !== undefined)
    throw new ConfigError('TRUST_PROXY', `must be false, a hop count, or addresses/CIDR ranges/loopback/uniquelocal, got "${bad}"`);
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  return family === 4 && isIPv4(prefix); // 10.0.0.0/255.0.0.0
}

function processingMode(env: Env): 'on' | 'off' {
  const value = (text(env, 'PROCESSING') ?? 'on').toLowerCase();
  if (value !== 'on' && value !== 'off') throw new ConfigError('PROCESSING', `must be on or off, got "${value}"`);
  return value;
}

function ladder(env: Env): number[] {
  const value = text(env, 'HLS_LADDER') ?? '360,720,1080';
  const rungs = value.split(',').map((part) => part.trim().replace(/p$/i, ''));
  if (!rungs.every((rung) => /^\d+$/.test(rung) && Number(rung) >= 144 && Number(rung) <= 4320))
    throw new ConfigError('HLS_LADDER', `must list heights between 144 and 4320 like 360,720,1080, got "${value}"`);
  return [...new Set(rungs.map(Number))].sort((a, b) => a - b);
}

function queuePrefix(env: Env): string {
  const value = text(env, 'QUEUE_PREFIX') ?? 'ps';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) throw new ConfigError('QUEUE_PREFIX', `must be letters, digits, _ . or -, got "${value}"`);
  return value;
}

function preset(env: Env): string {
  const value = text(env, 'TRANSCODE_PRESET') ?? 'veryfast';
  const presets = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];
  if (!presets.includes(value)) throw new ConfigError('TRANSCODE_PRESET', `must be one of ${presets.join(', ')}, got "${value}"`);
  return value;
}

function storage(env: Env): 'local' | 's3' {
  const value = (text(env, 'STORAGE') ?? 'local').toLowerCase();
  if (value !== 'local' && value !== 's3') throw new ConfigError('STORAGE', `must be local or s3, got "${value}"`);
  return value;
}

function logLevel(env: Env): LogLevel {
  const value = (text(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  const level = LOG_LEVELS.find((known) => known === value);
  if (!level) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return level;
}

function metricsToken(env: Env): string | undefined {
  const value = text(env, 'METRICS_TOKEN');
  if (value !== undefined && !/^[\x21-\x7e]{16,}$/.test(value))
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 printable characters without spaces');
  return value;
}

/** An email as stored (NFC, lower case: account.rules' canonicalEmail), for the settings that name accounts. */
const canonical = (email: string) => email.normalize('NFC').toLowerCase().normalize('NFC');
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

function emails(env: Env, name: string, patterns: boolean): string[] {
  const value = text(env, name);
  if (!value) return [];
  return value.split(',').map((entry) => {
    const trimmed = canonical(entry.trim());
    const address = patterns && trimmed.startsWith('*@') ? `x${trimmed.slice(1)}` : trimmed;
    // `*` is a valid character of an address, but here it would only ever be a mistaken pattern.
    if (!EMAIL.test(address) || address.includes('*'))
      throw new ConfigError(
        name,
        `must list ${patterns ? 'addresses or *@domain patterns' : 'addresses'} separated by commas, got "${entry}"`,
      );
    return trimmed;
  });
}

function registration(env: Env): Registration {
  const mode = (text(env, 'REGISTRATION') ?? 'open').toLowerCase();
  if (mode === 'open' || mode === 'closed') return { mode };
  if (mode !== 'allowlist') throw new ConfigError('REGISTRATION', `must be open, closed or allowlist, got "${mode}"`);
  const allow = emails(env, 'REGISTRATION_ALLOW', true);
  if (allow.length === 0)
    throw new ConfigError('REGISTRATION_ALLOW', 'must list addresses or *@domain patterns when REGISTRATION=allowlist');
  return { mode, allow };
}

function defaultVisibility(env: Env): AppConfig['defaultVisibility'] {
  const value = (text(env, 'DEFAULT_VISIBILITY') ?? 'public').toLowerCase();
  if (value !== 'public' && value !== 'unlisted' && value !== 'private')
    throw new ConfigError('DEFAULT_VISIBILITY', `must be public, unlisted or private, got "${value}"`);
  return value;
}

function quota(env: Env): number | null {
  const value = text(env, 'USER_QUOTA_BYTES');
  if (value === undefined || value.toLowerCase() === 'unlimited') return null;
  return integer(env, 'USER_QUOTA_BYTES', 0, 0, Number.MAX_SAFE_INTEGER);
}

/** The process environment, with a `.env` file in the working directory read in (it never overrides). */
export function processEnv(): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** Reads and validates the configuration; throws a ConfigError naming the bad variable. */
export function loadConfig(env: Env = processEnv()): AppConfig {
  const production = env.NODE_ENV === 'production';
  const dataDirRaw = text(env, 'DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(dataDirRaw);
  const storageRaw = text(env, 'STORAGE_DIR');
  const config: AppConfig = {
    production,
    port: integer(env, 'PORT', 3000, 0, 65535),
    database: database(env, dataDir),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    smtpTimeoutMs: integer(env, 'SMTP_TIMEOUT_MS', 10_000, 100, 120_000),
    mailFrom: text(env, 'MAIL_FROM') ?? '个人空间 <no-reply@localhost>',
    dataDir,
    storageDir: storageRaw ? resolve(storageRaw) : join(dataDir, 'videos'),
    uploadMaxBytes: integer(env, 'UPLOAD_MAX_BYTES', 2 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    sessionSecret: sessionSecret(env, dataDir, production),
    cookieSecure: bool(env, 'COOKIE_SECURE', false),
    trustProxy: trustProxy(env),
    cacheTimeoutMs: integer(env, 'CACHE_TIMEOUT_MS', 1000, 50, 60_000),
    ffmpegPath: text(env, 'FFMPEG_PATH') ?? 'ffmpeg',
    ffprobePath: text(env, 'FFPROBE_PATH') ?? 'ffprobe',
    processingConcurrency: integer(env, 'PROCESSING_CONCURRENCY', 2, 1, 16),
    processingQueueLimit: integer(env, 'PROCESSING_QUEUE_LIMIT', 100, 1, 100_000),
    processing: processingMode(env),
    hlsLadder: ladder(env),
    ffmpegThreads: integer(env, 'FFMPEG_THREADS', 0, 0, 64),
    transcodePreset: preset(env),
    transcodeCrf: integer(env, 'TRANSCODE_CRF', 23, 0, 51),
    processingTimeoutS: integer(env, 'PROCESSING_TIMEOUT_S', 3600, 5, 86_400),
    processingCpuS: integer(env, 'PROCESSING_CPU_S', 7200, 5, 604_800),
    processingMemoryMb: integer(env, 'PROCESSING_MEMORY_MB', 3072, 256, 1_048_576),
    maxPixels: integer(env, 'MAX_PIXELS', 8192 * 4320, 64 * 64, 1_000_000_000),
    processingNice: integer(env, 'PROCESSING_NICE', 10, 0, 19),
    processingLockMs: integer(env, 'PROCESSING_LOCK_MS', 30_000, 1000, 600_000),
    queuePrefix: queuePrefix(env),
    clientDir: resolve(text(env, 'CLIENT_DIR') ?? 'dist/client'),
    corsOrigins: origins(env),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    httpMaxConnections: integer(env, 'HTTP_MAX_CONNECTIONS', 1000, 1, 1_000_000),
    httpHeadersTimeoutMs: integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 20_000, 100, 600_000),
    httpIdleTimeoutMs: integer(env, 'HTTP_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
    storage: storage(env),
    s3: storage(env) === 's3' ? s3(env) : null,
    logLevel: logLevel(env),
    // A token alone turns metrics on (behind it); METRICS=off still wins.
    metrics: bool(env, 'METRICS', text(env, 'METRICS_TOKEN') !== undefined),
    metricsToken: metricsToken(env),
    apiDocs: bool(env, 'API_DOCS', true),
    registration: registration(env),
    adminEmails: emails(env, 'ADMIN_EMAILS', false),
    userQuotaBytes: quota(env),
    defaultVisibility: defaultVisibility(env),
    viewsFlushMs: integer(env, 'VIEWS_FLUSH_MS', 10_000, 100, 3_600_000),
  };
  return Object.freeze(config);
}
