import { createKeyv } from '@cacheable/memory';
import { createCache } from 'cache-manager';
import { Errno, type ErrnoEntry } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { loadConfig } from '../config/app-config.js';
import { Clock } from '../infra/clock.js';
import { Exclusive } from '../infra/exclusive.js';
import { KvStore } from '../infra/kv.store.js';
import { RedisService } from '../infra/redis.service.js';
import { VCODE_RULES, VcodeStore } from './vcode.store.js';

class StepClock extends Clock {
  time = 1_700_000_000_000;
  override now(): number {
    return this.time;
  }
}

async function errnoOf(promise: Promise<unknown>): Promise<ErrnoEntry | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof ErrnoError) return error.entry;
    throw error;
  }
}

describe('VcodeStore', () => {
  const config = loadConfig({ SESSION_SECRET: 'unit-test-secret-0123456789', DATA_DIR: '/tmp/ps-unit' });
  let clock: StepClock;
  let kv: KvStore;
  let store: VcodeStore;
  const email = 'a@example.com';
  const ip = '192.0.2.1';

  beforeEach(() => {
    clock = new StepClock();
    kv = new KvStore(createCache({ stores: [createKeyv()] }), config);
    store = new VcodeStore(kv, new Exclusive(new RedisService(config), config), clock, config);
  });

  it('generates 6-digit codes', () => {
    const codes = Array.from({ length: 200 }, () => VcodeStore.generate());
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(150);
  });

  it('keeps only a hash of the code', async () => {
    await store.saveSent(email, '123456');
    const record = await kv.get<Record<string, unknown>>(`vcode:${email}`);
    expect(JSON.stringify(record)).not.toContain('123456');
  });

  it('tells no code (1009), wrong (1007), right, and expired (1008) apart', async () => {
    expect(await errnoOf(store.check(email, '123456'))).toBe(Errno.NoVcode);
    await store.saveSent(email, '123456');
    expect(await errnoOf(store.check(email, '654321'))).toBe(Errno.WrongVcode);
    expect(await errnoOf(store.check(email, '123456'))).toBe('ok');
    clock.time += VCODE_RULES.lifetimeMs - 1;
    expect(await errnoOf(store.check(email, '123456'))).toBe('ok');
    clock.time += 1;
    expect(await errnoOf(store.check(email, '123456'))).toBe(Errno.VcodeExpired);
  });

  it('burns a code on the fifth wrong try', async () => {
    await store.saveSent(email, '123456');
    for (let i = 0; i < VCODE_RULES.maxWrongTries; i++) expect(await errnoOf(store.check(email, '000000'))).toBe(Errno.WrongVcode);
    expect(await errnoOf(store.check(email, '123456'))).toBe(Errno.VcodeExpired);
  });

  it('a new code replaces the old one and its wrong tries', async () => {
    await store.saveSent(email, '111111');
    for (let i = 0; i < 4; i++) await errnoOf(store.check(email, '000000'));
    await store.saveSent(email, '222222');
    expect(await errnoOf(store.check(email, '111111'))).toBe(Errno.WrongVcode);
    expect(await errnoOf(store.check(email, '222222'))).toBe('ok');
  });

  it('holds a 60 s cooldown per email', async () => {
    await store.claimSend(email, ip);
    expect(await errnoOf(store.claimSend(email, '192.0.2.99'))).toBe(Errno.TooFrequent);
    expect(await errnoOf(store.claimSend('b@example.com', '192.0.2.99'))).toBe('ok');
    clock.time += VCODE_RULES.resendCooldownMs;
    expect(await errnoOf(store.claimSend(email, '192.0.2.99'))).toBe('ok');
  });

  it('allows 10 sends an hour per IP, then again after the hour', async () => {
    for (let i = 0; i < VCODE_RULES.sendsPerIpPerHour; i++) {
      expect(await errnoOf(store.claimSend(`u${i}@example.com`, ip))).toBe('ok');
    }
    expect(await errnoOf(store.claimSend('next@example.com', ip))).toBe(Errno.TooFrequent);
    clock.time += 60 * 60_000;
    expect(await errnoOf(store.claimSend('next@example.com', ip))).toBe('ok');
  });

  it('gives a released send back: no cooldown, and the IP may send again', async () => {
    for (let i = 0; i < VCODE_RULES.sendsPerIpPerHour; i++) await store.claimSend(`u${i}@example.com`, ip);
    await store.releaseSend('u0@example.com', ip);
    expect(await errnoOf(store.claimSend('u0@example.com', ip))).toBe('ok');
    expect(await errnoOf(store.claimSend('next@example.com', ip))).toBe(Errno.TooFrequent);
  });

  it('lets only one of many claims at once for one email through', async () => {
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => errnoOf(store.claimSend(email, `192.0.2.${10 + i}`))));
    expect(claims.filter((claim) => claim === 'ok')).toHaveLength(1);
  });

  it('keeps the verified mark for 30 minutes, and consume removes mark and code', async () => {
    await store.saveSent(email, '123456');
    await store.markVerified(email);
    expect(await store.isVerified(email)).toBe(true);
    clock.time += VCODE_RULES.verifiedForMs - 1;
    expect(await store.isVerified(email)).toBe(true);
    await store.consume(email);
    expect(await store.isVerified(email)).toBe(false);
    expect(await errnoOf(store.check(email, '123456'))).toBe(Errno.NoVcode);
  });

  it('lets the mark lapse after 30 minutes', async () => {
    await store.markVerified(email);
    clock.time += VCODE_RULES.verifiedForMs;
    expect(await store.isVerified(email)).toBe(false);
  });
});
