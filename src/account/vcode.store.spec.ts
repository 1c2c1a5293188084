import { Errno } from '../common/errno.js';
import type { KvStore } from '../infra/kv.store.js';
import { errnoOf, memoryKv, StepClock, unitConfig } from '../../test/support/unit.js';
import { VCODE_RULES, VcodeStore } from './vcode.store.js';

describe('VcodeStore', () => {
  const config = unitConfig();
  let clock: StepClock;
  let kv: KvStore;
  let store: VcodeStore;
  const email = 'a@example.com';
  const ip = '192.0.2.1';

  beforeEach(() => {
    clock = new StepClock();
    const fakes = memoryKv(config);
    kv = fakes.kv;
    store = new VcodeStore(kv, fakes.exclusive, clock, config);
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
    expect(await errnoOf(store.check(email, '123456', ip))).toBe(Errno.NoVcode);
    await store.saveSent(email, '123456');
    expect(await errnoOf(store.check(email, '654321', ip))).toBe(Errno.WrongVcode);
    expect(await errnoOf(store.check(email, '123456', ip))).toBe('ok');
    clock.time += VCODE_RULES.lifetimeMs - 1;
    expect(await errnoOf(store.check(email, '123456', ip))).toBe('ok');
    clock.time += 1;
    expect(await errnoOf(store.check(email, '123456', ip))).toBe(Errno.VcodeExpired);
  });

  it('burns a code for a source on its fifth wrong try, and for nobody else', async () => {
    await store.saveSent(email, '123456');
    for (let i = 0; i < VCODE_RULES.maxWrongTriesPerSource; i++)
      expect(await errnoOf(store.check(email, '000000', ip))).toBe(Errno.WrongVcode);
    expect(await errnoOf(store.check(email, '123456', ip))).toBe(Errno.VcodeExpired);
    expect(await errnoOf(store.check(email, '123456', '192.0.2.2'))).toBe('ok');
  });

  it('burns a code for everyone after 30 wrong tries from any sources', async () => {
    await store.saveSent(email, '123456');
    for (let i = 0; i < VCODE_RULES.maxWrongTries; i++) {
      const source = `198.51.100.${Math.floor(i / VCODE_RULES.maxWrongTriesPerSource)}`;
      expect(await errnoOf(store.check(email, '000000', source))).toBe(Errno.WrongVcode);
    }
    expect(await errnoOf(store.check(email, '123456', '192.0.2.2'))).toBe(Errno.VcodeExpired);
  });

  it('answers 1005 to a source past 30 wrong codes an hour, whatever the email, even for a right code', async () => {
    for (let i = 0; i < VCODE_RULES.wrongTriesPerSourcePerHour; i++) {
      const other = `u${Math.floor(i / VCODE_RULES.maxWrongTriesPerSource)}@example.com`;
      if (i % VCODE_RULES.maxWrongTriesPerSource === 0) await store.saveSent(other, '123456');
      expect(await errnoOf(store.check(other, '000000', ip))).toBe(Errno.WrongVcode);
    }
    await store.saveSent(email, '123456');
    expect(await errnoOf(store.check(email, '123456', ip))).toBe(Errno.TooFrequent);
    expect(await errnoOf(store.check(email, '123456', '192.0.2.2'))).toBe('ok');
  });

  it('a new code replaces the old one and its wrong tries', async () => {
    await store.saveSent(email, '111111');
    for (let i = 0; i < 4; i++) await errnoOf(store.check(email, '000000', ip));
    await store.saveSent(email, '222222');
    expect(await errnoOf(store.check(email, '111111', ip))).toBe(Errno.WrongVcode);
    expect(await errnoOf(store.check(email, '222222', ip))).toBe('ok');
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
    expect(await errnoOf(store.check(email, '123456', ip))).toBe(Errno.NoVcode);
  });

  it('lets the mark lapse after 30 minutes', async () => {
    await store.markVerified(email);
    clock.time += VCODE_RULES.verifiedForMs;
    expect(await store.isVerified(email)).toBe(false);
  });
});
