import type { NestExpressApplication } from '@nestjs/platform-express';
import type TestAgent from 'supertest/lib/agent.js';
import type { AppConfig } from '../../src/config/app-config.js';
import type { FakeClock } from './fake-clock.js';
import { SmtpCapture } from './smtp-capture.js';
import { startApp, testEnv, type Env, type TestApp } from './test-app.js';

/**
 * The setup every e2e file shares, as hooks of the file or describe that calls it. `after` hooks
 * run in reverse (vitest's `stack` order): the app closes before the SMTP capture stops.
 */

/** A running SMTP capture: started in beforeAll, stopped in afterAll. */
export function useSmtp(): SmtpCapture {
  const smtp = new SmtpCapture();
  beforeAll(() => smtp.start());
  afterAll(async () => {
    if (smtp.port) await smtp.stop();
  });
  return smtp;
}

/**
 * pino's JSON lines, taken off process.stdout from beforeAll to afterAll (kept to be read, and off
 * the test output); other writes pass through. Call it before useApp: the first app of a file sets
 * pino's level.
 */
export function useLogLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let restore: (() => void) | undefined;
  beforeAll(() => {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      if (!text.startsWith('{"level"')) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    };
    restore = () => (process.stdout.write = write);
  });
  afterAll(() => restore?.());
  return lines;
}

/** The app a `useApp` started; a stable object, so that it can be destructured before beforeAll ran. */
export class LiveApp implements TestApp {
  private current?: TestApp;
  /** The environment it was started with (a restart reuses the database, storage and queue). */
  env: Env = {};

  private get started(): TestApp {
    if (!this.current) throw new Error('the app is not started (use it inside a test or hook)');
    return this.current;
  }
  get app(): NestExpressApplication {
    return this.started.app;
  }
  get config(): AppConfig {
    return this.started.config;
  }
  get clock(): FakeClock {
    return this.started.clock;
  }
  client(ip?: string): TestAgent {
    return this.started.client(ip);
  }

  async start(env: Env): Promise<void> {
    this.env = env;
    this.current = await startApp(env);
  }

  async close(): Promise<void> {
    await this.current?.close();
    this.current = undefined;
  }

  /** A new app on the same environment (plus `overrides`); clients of the old one must log in again. */
  async restart(overrides: Env = {}): Promise<void> {
    const env = this.env;
    await this.close();
    await this.start({ ...env, ...overrides });
    this.env = env;
  }
}

/**
 * The real app (test-app.ts) with mail going to an SMTP capture, for the enclosing file or
 * describe. `env` (or a function giving it, run in beforeAll) is added to a fresh `testEnv`.
 */
export function useApp(env: Env | (() => Env | Promise<Env>) = {}, smtp: SmtpCapture = useSmtp()): { t: LiveApp; smtp: SmtpCapture } {
  const t = new LiveApp();
  beforeAll(async () => {
    await t.start(testEnv({ SMTP_URL: smtp.url, ...(typeof env === 'function' ? await env() : env) }));
  });
  afterAll(() => t.close());
  return { t, smtp };
}
