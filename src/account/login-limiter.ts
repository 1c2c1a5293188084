import { Injectable } from '@nestjs/common';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Clock } from '../infra/clock.js';
import { Exclusive } from '../infra/exclusive.js';
import { alone } from './busy.js';
import { KvStore } from '../infra/kv.store.js';
import { WindowCounter } from '../infra/window-counter.js';

const MINUTE = 60_000;

export const LOGIN_RULES = {
  /** Wrong passwords one source (an IP, or one device cookie) may try on one account per window. */
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  /** How long that source (only) is then refused for that account. */
  lockMs: 15 * MINUTE,
  /**
   * Wrong passwords all sources without a device cookie may try on one account per window, together:
   * the bound on a distributed guesser (6 addresses fill it). Device cookies are not counted here.
   */
  maxUntrustedFailures: 30,
  /** Logins (any account, known or not, any outcome) one source may start per window: each costs a hash. */
  perSource: 30,
  perSourceWindowMs: MINUTE,
} as const;

/** Who is trying: the client address, and the device cookie's id when it is valid for this account. */
export interface LoginSource {
  ip: string;
  device?: string;
}

interface Until {
  until: number;
}

/**
 * Login throttling that nobody can turn against the owner (OWASP's "device cookies"):
 *
 * - wrong passwords are counted per account AND source: 5 in 15 minutes lock that source (its IP,
 *   or its device cookie) out of that account for 15 minutes, and nobody else;
 * - the sources without a device cookie share a per-account cap of 30 wrong passwords per 15
 *   minutes, so that guessing from many addresses stays hopeless; a browser that logged in before
 *   carries a device cookie and is counted on its own, so others' failures never lock it;
 * - every login from one address (to any account, known or not) takes a slot of 30 per minute
 *   before its password is hashed: a flood costs its sender, not the hashing pool.
 *
 * Each attempt takes its slots before its password is checked, under Exclusive, so that attempts
 * at once on any instance cannot all be checked. Kept in the KvStore, shared by every instance.
 */
@Injectable()
export class LoginLimiter {
  private readonly attempts: WindowCounter;
  private readonly sourceLogins: WindowCounter;

  constructor(
    private readonly kv: KvStore,
    private readonly exclusive: Exclusive,
    private readonly clock: Clock,
  ) {
    this.attempts = new WindowCounter(kv, clock, LOGIN_RULES.windowMs);
    this.sourceLogins = new WindowCounter(kv, clock, LOGIN_RULES.perSourceWindowMs);
  }

  /** 1005 when this address started too many logins this minute; otherwise counts one. Before any hash. */
  async admit(ip: string): Promise<void> {
    await alone(this.exclusive, key.source(ip), async () => {
      if (!(await this.sourceLogins.take(key.source(ip), LOGIN_RULES.perSource))) throw new ErrnoError(Errno.TooFrequent);
    });
  }

  /** 1005 when this source is locked out of this account or a cap is full; otherwise takes one slot of each. */
  async begin(uid: number, source: LoginSource): Promise<void> {
    const gen = await this.generation(uid);
    const own = key.scope(uid, gen, source);
    await alone(this.exclusive, own, async () => {
      const lock = await this.kv.get<Until>(key.lock(own));
      if (lock && lock.until > this.clock.now()) throw new ErrnoError(Errno.TooFrequent);
      if (!(await this.attempts.take(own, LOGIN_RULES.maxFailures))) throw new ErrnoError(Errno.TooFrequent);
      if (source.device) return;
      const shared = await alone(this.exclusive, key.untrusted(uid, gen), () =>
        this.attempts.take(key.untrusted(uid, gen), LOGIN_RULES.maxUntrustedFailures),
      );
      if (shared) return;
      await this.attempts.giveBack(own);
      throw new ErrnoError(Errno.TooFrequent);
    });
  }

  /** A wrong password keeps its slots; the one that fills the source's window locks that source out. */
  async recordFailure(uid: number, source: LoginSource): Promise<void> {
    const own = key.scope(uid, await this.generation(uid), source);
    await alone(this.exclusive, own, async () => {
      if ((await this.attempts.count(own)) < LOGIN_RULES.maxFailures) return;
      await this.kv.set<Until>(key.lock(own), { until: this.clock.now() + LOGIN_RULES.lockMs }, LOGIN_RULES.lockMs);
      await this.kv.del(own);
    });
  }

  /** An attempt whose password was never checked (the hashing queue was full) gives its slots back. */
  async cancel(uid: number, source: LoginSource): Promise<void> {
    const gen = await this.generation(uid);
    const own = key.scope(uid, gen, source);
    await alone(this.exclusive, own, () => this.attempts.giveBack(own));
    if (!source.device) await alone(this.exclusive, key.untrusted(uid, gen), () => this.attempts.giveBack(key.untrusted(uid, gen)));
  }

  /** A right password clears the source's window and gives back its slot in the shared cap. */
  async reset(uid: number, source: LoginSource): Promise<void> {
    const gen = await this.generation(uid);
    const own = key.scope(uid, gen, source);
    await alone(this.exclusive, own, () => this.kv.del(own));
    if (!source.device) await alone(this.exclusive, key.untrusted(uid, gen), () => this.attempts.giveBack(key.untrusted(uid, gen)));
  }

  /**
   * Lifts every lock and failure count of the account (a password reset proved the mailbox):
   * the account's keys carry a generation, and a new one leaves the old keys to expire unread.
   */
  async lift(uid: number): Promise<void> {
    await alone(this.exclusive, key.generation(uid), async () => {
      const gen = await this.generation(uid);
      await this.kv.set<Generation>(key.generation(uid), { gen: gen + 1 }, GENERATION_TTL_MS);
    });
  }

  private async generation(uid: number): Promise<number> {
    return (await this.kv.get<Generation>(key.generation(uid)))?.gen ?? 0;
  }
}

interface Generation {
  gen: number;
}

/** Longer than any window or lock: once it expires (back to 0) every key of the older generations has expired too. */
const GENERATION_TTL_MS = 2 * (LOGIN_RULES.windowMs + LOGIN_RULES.lockMs);

const key = {
  scope: (uid: number, gen: number, source: LoginSource) =>
    source.device ? `login-failures:${uid}.${gen}:device:${source.device}` : `login-failures:${uid}.${gen}:ip:${source.ip}`,
  untrusted: (uid: number, gen: number) => `login-failures:${uid}.${gen}:untrusted`,
  generation: (uid: number) => `login-generation:${uid}`,
  lock: (scope: string) => `login-lock:${scope.slice('login-failures:'.length)}`,
  source: (ip: string) => `login-source:${ip}`,
};
