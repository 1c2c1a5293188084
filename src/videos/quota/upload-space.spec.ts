import { Errno } from '../../common/errno.js';
import { errnoOf, memoryKv, StepClock, unitConfig } from '../../../test/support/unit.js';
import type { VideoRepository } from '../video.repository.js';
import { StorageQuotas } from './storage-quotas.js';
import { HOLD_TTL_MS, UploadSpace } from './upload-space.js';

class FixedQuotas extends StorageQuotas {
  quota: number | null = 1000;
  quotaOf(): Promise<number | null> {
    return Promise.resolve(this.quota);
  }
}

describe('UploadSpace', () => {
  const uid = 1234567890;
  let clock: StepClock;
  let quotas: FixedQuotas;
  let used: number;
  let space: UploadSpace;

  beforeEach(() => {
    clock = new StepClock();
    quotas = new FixedQuotas();
    used = 0;
    const usage = { usageOf: () => Promise.resolve({ videoCount: 1, storageUsed: used }) };
    const { kv, exclusive } = memoryKv(unitConfig());
    space = new UploadSpace(kv, exclusive, clock, quotas, usage as unknown as VideoRepository);
  });

  it('lets two uploads that fit alone but not together hold space one after the other: the second answers 2007', async () => {
    used = 300;
    const [a, b] = await Promise.allSettled([space.claim(uid, 'upload:a', 600), space.claim(uid, 'upload:b', 600)]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    const refused = [a, b].find((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ entry: Errno.StorageFull });
    expect(await space.held(uid)).toBe(600);
  });

  it('gives the space back on release, and holds what is free between the least and the most asked', async () => {
    const first = await space.claim(uid, 'upload:a', 700);
    expect(await errnoOf(space.claim(uid, 'upload:b', 400))).toBe(Errno.StorageFull);
    await first.release();
    const second = await space.claim(uid, 'upload:b', 400, 5000);
    expect(second.held).toBe(1000);
    expect(second.covers(1000)).toBe(true);
    expect(second.covers(1001)).toBe(false);
    expect(await errnoOf(second.grow(1001))).toBe(Errno.StorageFull);
    await second.release();
  });

  it('lets a hold that is not renewed lapse after HOLD_TTL_MS (a process that died)', async () => {
    const claim = await space.claim(uid, 'upload:dead', 900);
    claim.detach();
    expect(await errnoOf(space.claim(uid, 'upload:b', 200))).toBe(Errno.StorageFull);
    clock.time += HOLD_TTL_MS - 1;
    expect(await space.renew(uid, 'upload:dead')).toBe(true);
    clock.time += HOLD_TTL_MS - 1;
    expect(await errnoOf(space.claim(uid, 'upload:b', 200))).toBe(Errno.StorageFull);
    clock.time += 2;
    expect(await space.renew(uid, 'upload:dead')).toBe(false);
    expect((await space.claim(uid, 'upload:b', 200)).held).toBe(200);
  });

  it('counts the usage: an account at its quota may add nothing', async () => {
    used = 1000;
    expect(await errnoOf(space.claim(uid, 'upload:a', 1))).toBe(Errno.StorageFull);
    quotas.quota = null;
    const unlimited = await space.claim(uid, 'upload:a', 10 ** 12);
    expect(unlimited.covers(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(await space.held(uid)).toBe(0);
  });
});
