import { KeyedLock } from './keyed-lock.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in order', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock.run('a', work('1')), lock.run('a', work('2')), lock.run('a', work('3'))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(events).toEqual(['1 start', '1 end', '2 start', '2 end', '3 start', '3 end']);
  });

  it('lets different keys run side by side', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    let release!: () => void;
    const held = lock.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    await lock.run('b', () => Promise.resolve(events.push('b ran while a was held')));
    expect(events).toEqual(['b ran while a was held']);
    release();
    await held;
  });

  it('passes a failure to its caller only, and the next work still runs', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('a', () => Promise.reject(new Error('boom')));
    const next = lock.run('a', () => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('forgets a key once its work is done (no growth with many keys)', async () => {
    const lock = new KeyedLock();
    for (let i = 0; i < 100; i++) await lock.run(`k${i}`, () => Promise.resolve(i));
    expect(lock['tails'].size).toBe(0);
  });
});
