import { Injectable } from '@nestjs/common';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../infra/clock.js';
import { Exclusive } from '../infra/exclusive.js';
import type { CodePurpose } from './account.rules.js';
import { alone } from './busy.js';
import { KvStore } from '../infra/kv.store.js';
import { WindowCounter } from '../infra/window-counter.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const VCODE_RULES = {
  lifetimeMs: 5 * MINUTE,
  /** Wrong tries one source may make on one code; after them the code answers it 1008 (for others it stays valid). */
  maxWrongTriesPerSource: 5,
  /** Wrong tries all sources together may make on one code: the code is then burned for everyone. */
  maxWrongTries: 30,
  /** Wrong codes one source may send per hour, over every email (validatevacode and register). */
  wrongTriesPerSourcePerHour: 30,
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
  /** Wrong tries per source (bounded: they add up to `wrongTries`). */
  wrongBySource?: Record<string, number>;
}

interface Until {
  until: number;
}

/**
 * Verification codes, one per email and purpose, and what guards them: the hashed code with its lifetime and wrong-try count,
 * the resend cooldown and the per-IP send count (both per email or IP, across purposes) and the verified mark. All of it lives in the
 * KvStore (memory or Redis) with TTLs; decisions are made against the injected Clock. Every
 * read-check-write runs under Exclusive, so that requests at once, on any instance, are counted
 * one by one.
 */
@Injectable()
export class VcodeStore {
  private readonly ipSends: WindowCounter;
  private readonly sourceGuesses: WindowCounter;

  constructor(
    private readonly kv: KvStore,
    private readonly exclusive: Exclusive,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.ipSends = new WindowCounter(kv, clock, HOUR);
    this.sourceGuesses = new WindowCounter(kv, clock, HOUR);
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

  /** Stores the code that was mailed for `purpose`, replacing any older one of that purpose. */
  async saveSent(email: string, code: string, purpose: CodePurpose = 'register'): Promise<void> {
    const record: CodeRecord = { hash: this.hash(email, code), expiresAt: this.clock.now() + VCODE_RULES.lifetimeMs, wrongTries: 0 };
    const at = key.code(email, purpose);
    await alone(this.exclusive, at, () => this.kv.set(at, record, VCODE_RULES.rememberExpiredMs));
  }

  /**
   * Checks a code sent from `source`: 1009 none was requested, 1008 expired or burned (for this
   * source after its 5th wrong try; for everyone after the 30th), 1005 this source sent 30 wrong
   * codes this hour (any email), 1007 wrong. A code is burned per source, so that a stranger's
   * guesses cannot burn the owner's code; the global cap keeps the guesses on one code bounded.
   * A right code stays valid until it expires, is replaced or is consumed. Codes of other purposes
   * are not looked at: a register code never resets a password.
   */
  async check(email: string, code: string, source: string, purpose: CodePurpose = 'register'): Promise<void> {
    const at = key.code(email, purpose);
    await alone(this.exclusive, at, async () => {
      const record = await this.kv.get<CodeRecord>(at);
      if (!record) throw new ErrnoError(Errno.NoVcode);
      const mine = record.wrongBySource?.[source] ?? 0;
      if (
        record.expiresAt <= this.clock.now() ||
        record.wrongTries >= VCODE_RULES.maxWrongTries ||
        mine >= VCODE_RULES.maxWrongTriesPerSource
      ) {
        throw new ErrnoError(Errno.VcodeExpired);
      }
      // The source's hourly slot is taken before the comparison: past its limit, even a right code is not looked at.
      const guesses = key.guesses(source);
      const admitted = await alone(this.exclusive, guesses, () => this.sourceGuesses.take(guesses, VCODE_RULES.wrongTriesPerSourcePerHour));
      if (!admitted) throw new ErrnoError(Errno.TooFrequent);
      if (this.matches(record.hash, this.hash(email, code))) {
        await alone(this.exclusive, guesses, () => this.sourceGuesses.giveBack(guesses));
        return;
      }
      const counted: CodeRecord = {
        ...record,
        wrongTries: record.wrongTries + 1,
        wrongBySource: { ...record.wrongBySource, [source]: mine + 1 },
      };
      await this.kv.set(at, counted, VCODE_RULES.rememberExpiredMs);
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

  /** After a registration, reset or change: the code (and a registration's mark) are used up. */
  async consume(email: string, purpose: CodePurpose = 'register'): Promise<void> {
    await Promise.all([this.kv.del(key.code(email, purpose)), purpose === 'register' ? this.kv.del(key.verified(email)) : undefined]);
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
  code: (email: string, purpose: CodePurpose) => (purpose === 'register' ? `vcode:${email}` : `vcode-${purpose}:${email}`),
  cooldown: (email: string) => `vcode-cooldown:${email}`,
  ipSends: (ip: string) => `vcode-ip:${ip}`,
  guesses: (source: string) => `vcode-guesses:${source}`,
  verified: (email: string) => `verified:${email}`,
};
