import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { AppModule } from '../../src/app.module.js';
import { EnvelopeAdapter } from '../../src/common/http/envelope.adapter.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { Clock } from '../../src/infra/clock.js';
import { configureApp } from '../../src/setup.js';
import { FakeClock } from './fake-clock.js';

export type Env = Record<string, string | undefined>;

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  clock: FakeClock;
  /** A client with a cookie jar, coming from its own IP (X-Forwarded-For; the test config trusts it). */
  client(ip?: string): TestAgent;
  close(): Promise<void>;
}

/** A fresh data directory per test file; DATABASE_URL and REDIS_URL come from the environment (CI sets them). */
export function testEnv(overrides: Env = {}): Env {
  return {
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ps-test-')),
    TRUST_PROXY: '1', // one proxy hop: the X-Forwarded-For a client sets (below) names it
    SESSION_SECRET: 'test-session-secret-0123456789',
    SMTP_TIMEOUT_MS: '3000',
    // Apps of one env share a job queue (and a DATA_DIR); other test apps on the same Redis do not.
    QUEUE_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    ...overrides,
  };
}

/** The real AppModule with the real filter, pipes and middleware, as main.ts starts it. */
export async function startApp(env: Env, clock = new FakeClock()): Promise<TestApp> {
  // Quiet unless a spec asks (pino keeps the first app's level for the whole file).
  const config = loadConfig({ LOG_LEVEL: 'warn', ...env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new EnvelopeAdapter(), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  configureApp(app);
  // Listening (not only init) so that raw sockets can reach it too; supertest reuses the port.
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  return {
    app,
    config,
    clock,
    client: (ip?: string) => agentFor(server, ip),
    close: () => app.close(),
  };
}

/** A cookie-jar client of a server (an app's http server or a base URL), coming from its own IP. */
export function agentFor(server: Parameters<typeof request.agent>[0], ip = randomIp()): TestAgent {
  const agent = request.agent(server);
  agent.set('X-Forwarded-For', ip);
  return agent;
}

export function randomIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

export function randomEmail(tag = 'user'): string {
  return `${tag}-${randomUUID().slice(0, 12)}@example.com`;
}
