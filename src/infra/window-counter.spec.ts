import type { KvStore } from './kv.store.js';
import { WindowCounter } from './window-counter.js';

/** A KvStore in a Map that honours TTLs by the fake clock, and remembers the TTLs it was given. */
function fakes() {
  let now = 1_000_000;
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  const ttls: number[] = [];
  const kv = {
    get: (key: string) => {
      const entry = entries.get(key);
      return Promise.resolve(entry && entry.expiresAt > now ? entry.value : undefined);
    },
    set: (key: string, value: unknown, ttlMs: number) => {
      ttls.push(ttlMs);
      entries.set(key, { value, expiresAt: now + ttlMs });
      return Promise.resolve();
    },
  } as unknown as KvStore;
  const clock = { now: () => now };
  return { kv, clock, ttls, advance: (ms: number) => (now += ms) };
}

describe('WindowCounter', () => {
  it('takes up to the limit in one window, then refuses', async () => {
    const { kv, clock } = fakes();
    const counter = new WindowCounter(kv, clock, 60_000);
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push(await counter.take('ip:1', 3));
    expect(taken).toEqual([true, true, true, false]);
    expect(await counter.count('ip:1')).toBe(3);
    expect(await counter.count('ip:2')).toBe(0);
  });

  it('opens the window with the first event: it closes windowMs later, not windowMs after the last', async () => {
    const { kv, clock, advance } = fakes();
    const counter = new WindowCounter(kv, clock, 60_000);
    await counter.take('k', 2);
    advance(50_000);
    await counter.take('k', 2);
    expect(await counter.take('k', 2)).toBe(false);
    advance(10_000);
    expect(await counter.count('k')).toBe(0);
    expect(await counter.take('k', 2)).toBe(true);
  });

  it('keeps each write only for what is left of the window', async () => {
    const { kv, clock, ttls, advance } = fakes();
    const counter = new WindowCounter(kv, clock, 60_000);
    await counter.take('k', 5);
    advance(45_000);
    await counter.take('k', 5);
    expect(ttls).toEqual([60_000, 15_000]);
  });

  it('gives one back within the window, never below zero, and nothing once it closed', async () => {
    const { kv, clock, advance } = fakes();
    const counter = new WindowCounter(kv, clock, 60_000);
    await counter.take('k', 1);
    await counter.giveBack('k');
    await counter.giveBack('k');
    expect(await counter.count('k')).toBe(0);
    expect(await counter.take('k', 1)).toBe(true);
    advance(61_000);
    await counter.giveBack('k');
    expect(await counter.count('k')).toBe(0);
  });
});
