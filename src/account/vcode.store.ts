import { Injectable } from '@nestjs/common';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../infra/clock.js';
import { Exclusive } from '../infra/exclusive.js';
import { alone } from './busy.js';
import { KvStore } from '../infra/kv.store.js';
import { WindowCounter } from '../infra/window-counter.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const VCODE_RULES = {
  lifetimeMs: 5 * MINUTE,
  maxWrongTries: 5,
  resendCooldownMs: 60 * SECOND,
  sendsPerIpPerHour: 10,
  verifiedForMs: 30 * MINUTE,
  /** How long an expired code is remembered, so that it answers 1008 rather than 1009. */
  rememberExpiredMs: 24 * 60 * MINUTE,
} as const;

interface CodeRecord {
  hash: string;
  expiresAt: number;
  wrongTries: number;
}

interface Until {
  until: number;
}

/**
 * Verification codes and what guards them: the hashed code with its lifetime and wrong-try count,
 * the resend cooldown, the per-IP send count and the verified mark. All of it lives in the
 * KvStore (memory or Redis) with TTLs; decisions are made against the injected Clock. Every
 * read-check-write runs under Exclusive, so that requests at once, on any instance, are counted
 * one by one.
 */
@Injectable()
export class VcodeStore {
  private readonly ipSends: WindowCounter;

  constructor(
    private readonly kv: KvStore,
    private readonly exclusive: Exclusive,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.ipSends = new WindowCounter(kv, clock, HOUR);
  }

  /** A fresh 6-digit code from a cryptographic source. */
  static generate(): string {
    return randomInt(0, 1_000_000).toString().padStart(6, '0');
  }

  /**
   * Takes a send before the mail goes out: 1005 when this email is in its resend cooldown or this
   * IP has used up its hourly sends; otherwise starts the cooldown and counts the send.
   */
  async claimSend(email: string, ip: string): Promise<void> {
    await alone(this.exclusive, key.cooldown(email), async () => {
      const now = this.clock.now();
      const cooldown = await this.kv.get<Until>(key.cooldown(email));
      if (cooldown && cooldown.until > now) throw new ErrnoError(Errno.TooFrequent);
      await alone(this.exclusive, key.ipSends(ip), async () => {
        if (!(await this.ipSends.take(key.ipSends(ip), VCODE_RULES.sendsPerIpPerHour))) throw new ErrnoError(Errno.TooFrequent);
      });
      await this.kv.set<Until>(key.cooldown(email), { until: now + VCODE_RULES.resendCooldownMs }, VCODE_RULES.resendCooldownMs);
    });
  }

  /** Gives back a send whose mail did not go out: no cooldown, and it does not count for the IP. */
  async releaseSend(email: string, ip: string): Promise<void> {
    await alone(this.exclusive, key.cooldown(email), () => this.kv.del(key.cooldown(email)));
    await alone(this.exclusive, key.ipSends(ip), () => this.ipSends.giveBack(key.ipSends(ip)));
  }

  /** Stores the code that was mailed, replacing any older one. */
  async saveSent(email: string, code: string): Promise<void> {
    const record: CodeRecord = { hash: this.hash(email, code), expiresAt: this.clock.now() + VCODE_RULES.lifetimeMs, wrongTries: 0 };
    await alone(this.exclusive, key.code(email), () => this.kv.set(key.code(email), record, VCODE_RULES.rememberExpiredMs));
  }

  /**
   * Checks a code: 1009 none was requested, 1008 expired or burned, 1007 wrong (the fifth wrong
   * try burns it). A right code stays valid until it expires, is replaced or is consumed.
   */
  async check(email: string, code: string): Promise<void> {
    await alone(this.exclusive, key.code(email), async () => {
      const record = await this.kv.get<CodeRecord>(key.code(email));
      if (!record) throw new ErrnoError(Errno.NoVcode);
      if (record.expiresAt <= this.clock.now() || record.wrongTries >= VCODE_RULES.maxWrongTries) {
        throw new ErrnoError(Errno.VcodeExpired);
      }
      if (this.matches(record.hash, this.hash(email, code))) return;
      const counted: CodeRecord = { ...record, wrongTries: record.wrongTries + 1 };
      await this.kv.set(key.code(email), counted, VCODE_RULES.rememberExpiredMs);
      throw new ErrnoError(Errno.WrongVcode);
    });
  }

  async markVerified(email: string): Promise<void> {
    const until = this.clock.now() + VCODE_RULES.verifiedForMs;
    await this.kv.set<Until>(key.verified(email), { until }, VCODE_RULES.verifiedForMs);
  }

  async isVerified(email: string): Promise<boolean> {
    const mark = await this.kv.get<Until>(key.verified(email));
    return mark !== undefined && mark.until > this.clock.now();
  }

  /** After a registration: the code and the mark are used up. */
  async consume(email: string): Promise<void> {
    await Promise.all([this.kv.del(key.code(email)), this.kv.del(key.verified(email))]);
  }

  private hash(email: string, code: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(`${email}\n${code}`).digest('hex');
  }

  private matches(expected: string, actual: string): boolean {
    const a = Buffer.from(expected, 'hex');
    const b = Buffer.from(actual, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

const key = {
  code: (email: string) => `vcode:${email}`,
  cooldown: (email: string) => `vcode-cooldown:${email}`,
  ipSends: (ip: string) => `vcode-ip:${ip}`,
  verified: (email: string) => `verified:${email}`,
};
