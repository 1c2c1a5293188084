import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'ps-config-'));

describe('loadConfig', () => {
  it('gives the contract defaults', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      port: 3000,
      database: { type: 'sqlite', path: join(dir, 'personal-space.sqlite') },
      redisUrl: undefined,
      smtpUrl: undefined,
      mailFrom: '个人空间 <no-reply@localhost>',
      storageDir: join(dir, 'videos'),
      uploadMaxBytes: 2147483648,
      cookieSecure: false,
      trustProxy: false,
    });
  });

  it('makes a session secret once and keeps it in DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(first).toHaveLength(64);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(first);
  });

  it('refuses to start in production without SESSION_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrow(
      new ConfigError('SESSION_SECRET', 'is required when NODE_ENV=production'),
    );
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://x'],
    ['DATABASE_URL', 'sqlite:'],
    ['REDIS_URL', 'http://x'],
    ['SMTP_URL', 'not a url'],
    ['UPLOAD_MAX_BYTES', '-1'],
    ['COOKIE_SECURE', 'maybe'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'loopback,nginx.internal'],
    ['SESSION_SECRET', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['METRICS', 'sometimes'],
    ['METRICS_TOKEN', 'short'],
  ])('names %s when it is "%s"', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it.each(['true', 'TRUE', 'yes', 'on'])('refuses TRUST_PROXY=%s (it would believe a client-written address)', (value) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: value })).toThrow(/^Invalid configuration: TRUST_PROXY .*hop count/);
  });

  it("reads TRUST_PROXY as Express reads trust proxy: off, a hop count, or the proxies' addresses", () => {
    const trust = (value: string) => loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: value }).trustProxy;
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7, 172.16.0.0/255.240.0.0, uniquelocal')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.7',
      '172.16.0.0/255.240.0.0',
      'uniquelocal',
    ]);
  });

  it('keeps /metrics off unless METRICS=on or a token is given', () => {
    const token = 'a-metrics-token-0123456789';
    expect(loadConfig({ DATA_DIR: dataDir() })).toMatchObject({ logLevel: 'info', metrics: false, metricsToken: undefined });
    expect(loadConfig({ DATA_DIR: dataDir(), METRICS: 'on', LOG_LEVEL: 'WARN' })).toMatchObject({ logLevel: 'warn', metrics: true });
    expect(loadConfig({ DATA_DIR: dataDir(), METRICS_TOKEN: token })).toMatchObject({ metrics: true, metricsToken: token });
    expect(loadConfig({ DATA_DIR: dataDir(), METRICS: 'off', METRICS_TOKEN: token })).toMatchObject({ metrics: false });
  });

  it('reads MySQL, Redis and SMTP URLs', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SMTP_URL: 'smtps://u:p@mail.example.com:465',
      COOKIE_SECURE: 'true',
    });
    expect(config.database).toEqual({ type: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.smtpUrl).toBe('smtps://u:p@mail.example.com:465');
    expect(config.cookieSecure).toBe(true);
  });

  it('reads REGISTRATION: open by default, closed, or an allowlist that REGISTRATION_ALLOW must fill', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).registration).toEqual({ mode: 'open' });
    expect(loadConfig({ DATA_DIR: dataDir(), REGISTRATION: 'closed' }).registration).toEqual({ mode: 'closed' });
    expect(
      loadConfig({ DATA_DIR: dataDir(), REGISTRATION: 'allowlist', REGISTRATION_ALLOW: '*@Family.example, friend@other.example' })
        .registration,
    ).toEqual({ mode: 'allowlist', allow: ['*@family.example', 'friend@other.example'] });
    expect(() => loadConfig({ DATA_DIR: dataDir(), REGISTRATION: 'allowlist' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), REGISTRATION: 'allowlist', REGISTRATION_ALLOW: ' , ' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), REGISTRATION: 'allowlist', REGISTRATION_ALLOW: 'not an address' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), REGISTRATION: 'invite-only' })).toThrow(
      /REGISTRATION must be open, closed or allowlist/,
    );
  });

  it('reads ADMIN_EMAILS as canonical addresses and USER_QUOTA_BYTES as bytes or unlimited', () => {
    expect(loadConfig({ DATA_DIR: dataDir() })).toMatchObject({ adminEmails: [], userQuotaBytes: null });
    const config = loadConfig({ DATA_DIR: dataDir(), ADMIN_EMAILS: 'Root@Example.com,ops@example.com', USER_QUOTA_BYTES: '1048576' });
    expect(config).toMatchObject({ adminEmails: ['root@example.com', 'ops@example.com'], userQuotaBytes: 1048576 });
    expect(() => loadConfig({ DATA_DIR: dataDir(), ADMIN_EMAILS: 'root@example.com,root' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), ADMIN_EMAILS: '*@example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), USER_QUOTA_BYTES: '-1' })).toThrow(ConfigError);
  });
});
