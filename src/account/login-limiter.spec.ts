import { Errno } from '../common/errno.js';
import type { Exclusive } from '../infra/exclusive.js';
import { LockBusy } from '../infra/redis-lock.js';
import { errnoOf, memoryKv, StepClock, unitConfig } from '../../test/support/unit.js';
import { LOGIN_RULES, LoginLimiter, type LoginSource } from './login-limiter.js';

describe('LoginLimiter', () => {
  const config = unitConfig();
  const uid = 1234567890;
  const source: LoginSource = { ip: '192.0.2.1' };
  let clock: StepClock;
  let limiter: LoginLimiter;

  beforeEach(() => {
    clock = new StepClock();
    const { kv, exclusive } = memoryKv(config);
    limiter = new LoginLimiter(kv, exclusive, clock);
  });

  /** One login with a wrong password, as AccountService runs it. */
  const wrongPassword = async () => {
    await limiter.begin(uid, source);
    await limiter.recordFailure(uid, source);
  };

  it('locks the source out of the account for 15 minutes after its fifth wrong password', async () => {
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) expect(await errnoOf(wrongPassword())).toBe('ok');
    expect(await errnoOf(limiter.begin(uid, source))).toBe(Errno.TooFrequent);
    clock.time += LOGIN_RULES.lockMs - 1;
    expect(await errnoOf(limiter.begin(uid, source))).toBe(Errno.TooFrequent);
    clock.time += 1;
    expect(await errnoOf(limiter.begin(uid, source))).toBe('ok');
  });

  it('starts a fresh window after the lock: five more tries before the next lock', async () => {
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) await wrongPassword();
    clock.time += LOGIN_RULES.lockMs;
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) expect(await errnoOf(wrongPassword())).toBe('ok');
    expect(await errnoOf(limiter.begin(uid, source))).toBe(Errno.TooFrequent);
  });

  it('locks only the account that failed', async () => {
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) await wrongPassword();
    expect(await errnoOf(limiter.begin(uid + 1, source))).toBe('ok');
  });

  it('forgets wrong passwords once their window closed', async () => {
    for (let i = 0; i < LOGIN_RULES.maxFailures - 1; i++) await wrongPassword();
    clock.time += LOGIN_RULES.windowMs;
    for (let i = 0; i < LOGIN_RULES.maxFailures - 1; i++) await wrongPassword();
    expect(await errnoOf(limiter.begin(uid, source))).toBe('ok');
  });

  it('clears the window on a right password', async () => {
    for (let i = 0; i < LOGIN_RULES.maxFailures - 1; i++) await wrongPassword();
    await limiter.begin(uid, source);
    await limiter.reset(uid, source);
    for (let i = 0; i < LOGIN_RULES.maxFailures - 1; i++) expect(await errnoOf(wrongPassword())).toBe('ok');
    expect(await errnoOf(limiter.begin(uid, source))).toBe('ok');
  });

  it('counts an attempt before its password is checked: of many at once, only five get through', async () => {
    const attempts = await Promise.all(Array.from({ length: 12 }, () => errnoOf(limiter.begin(uid, source))));
    expect(attempts.filter((attempt) => attempt === 'ok')).toHaveLength(LOGIN_RULES.maxFailures);
    expect(attempts.filter((attempt) => attempt === Errno.TooFrequent)).toHaveLength(12 - LOGIN_RULES.maxFailures);
  });

  it('does not lock before the window is full, however the failures are recorded', async () => {
    await limiter.begin(uid, source);
    for (let i = 0; i < 3; i++) await limiter.recordFailure(uid, source);
    expect(await errnoOf(limiter.begin(uid, source))).toBe('ok');
  });

  it('locks nobody else out: another address, and a device cookie, still get their own tries', async () => {
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) await wrongPassword();
    expect(await errnoOf(limiter.begin(uid, source))).toBe(Errno.TooFrequent);
    expect(await errnoOf(limiter.begin(uid, { ip: '192.0.2.2' }))).toBe('ok');
    expect(await errnoOf(limiter.begin(uid, { ip: source.ip, device: 'dev1' }))).toBe('ok');
  });

  it('caps wrong passwords from all addresses together at 30 per window; device cookies are not held by it', async () => {
    let ip = 0;
    for (let i = 0; i < LOGIN_RULES.maxUntrustedFailures; i++) {
      const from = { ip: `198.51.100.${Math.floor(ip++ / LOGIN_RULES.maxFailures)}` };
      expect(await errnoOf(limiter.begin(uid, from))).toBe('ok');
      await limiter.recordFailure(uid, from);
    }
    expect(await errnoOf(limiter.begin(uid, { ip: '203.0.113.9' }))).toBe(Errno.TooFrequent);
    const device = { ip: '203.0.113.9', device: 'dev1' };
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) expect(await errnoOf(limiter.begin(uid, device))).toBe('ok');
    clock.time += LOGIN_RULES.windowMs;
    expect(await errnoOf(limiter.begin(uid, { ip: '203.0.113.9' }))).toBe('ok');
  });

  it('admits 30 logins a minute from one address, whatever the account', async () => {
    for (let i = 0; i < LOGIN_RULES.perSource; i++) expect(await errnoOf(limiter.admit('192.0.2.7'))).toBe('ok');
    expect(await errnoOf(limiter.admit('192.0.2.7'))).toBe(Errno.TooFrequent);
    expect(await errnoOf(limiter.admit('192.0.2.8'))).toBe('ok');
    clock.time += LOGIN_RULES.perSourceWindowMs;
    expect(await errnoOf(limiter.admit('192.0.2.7'))).toBe('ok');
  });

  it('answers 1005 when the lock on the account cannot be taken in time', async () => {
    const busy = { run: () => Promise.reject(new LockBusy('login-failures:1')) } as unknown as Exclusive;
    const { kv } = memoryKv(config);
    const stuck = new LoginLimiter(kv, busy, clock);
    expect(await errnoOf(stuck.begin(uid, source))).toBe(Errno.TooFrequent);
    expect(await errnoOf(stuck.reset(uid, source))).toBe(Errno.TooFrequent);
  });

  it('passes other failures of the store on as they are', async () => {
    const broken = { run: () => Promise.reject(new Error('redis down')) } as unknown as Exclusive;
    const { kv } = memoryKv(config);
    await expect(new LoginLimiter(kv, broken, clock).begin(uid, source)).rejects.toThrow('redis down');
  });
});
