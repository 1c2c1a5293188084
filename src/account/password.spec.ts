import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HashThreads, hashPassword, verifyPassword, type Job } from './password.js';

/** The nice value of each of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat). */
function niceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) =>
    Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]),
  );
}

describe('password hashing', () => {
  it('hashes with argon2id and verifies the right password only', async () => {
    const stored = await hashPassword('secret123');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'secret123')).toBe(true);
    expect(await verifyPassword(stored, 'secret124')).toBe(false);
  });

  it('answers false for a stored value that is not a hash, and keeps working after it', async () => {
    expect(await verifyPassword('not-a-hash', 'secret123')).toBe(false);
    expect(await verifyPassword(await hashPassword('again'), 'again')).toBe(true);
  });

  it('hashes several at once on threads that run at the lowest CPU priority', async () => {
    const stored = await Promise.all(['a1', 'b2', 'c3', 'd4'].map((password) => hashPassword(password)));
    expect(await Promise.all(stored.map((value, i) => verifyPassword(value, ['a1', 'b2', 'c3', 'd4'][i])))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    // One thread per core, each at nice 19; the calling thread (the event loop's) keeps its own.
    expect(niceValues().filter((nice) => nice === 19).length).toBeGreaterThanOrEqual(Math.min(4, availableParallelism()));
    expect(getPriority()).toBe(0);
  });

  it('hands a thread its next job at once, so it starts it while the event loop is busy', async () => {
    // One thread; each job answers the time it started, after 100 ms of work.
    const threads = new HashThreads(
      `const { parentPort } = require('node:worker_threads');
      parentPort.on('message', () => { const started = Date.now(); while (Date.now() < started + 100); parentPort.postMessage({ value: String(started) }); });`,
      1,
    );
    const job: Job = { op: 'verify', hashed: 'x', password: 'y' };
    const answers = Promise.all([threads.run(job), threads.run(job)]);
    await new Promise((resolve) => setImmediate(resolve));
    const busyUntil = Date.now() + 800;
    while (Date.now() < busyUntil); // the event loop, busy with something else
    const [first, second] = (await answers).map((answer) => Number((answer as { value: string }).value));
    expect(second).toBeGreaterThanOrEqual(first + 100);
    expect(second).toBeLessThan(busyUntil);
  });

  describe('a hashing thread that ends', () => {
    const job: Job = { op: 'verify', hashed: 'x', password: 'y' };

    it('fails the job it was running, and the next job gets a new thread', async () => {
      const threads = new HashThreads(`require('node:worker_threads').parentPort.on('message', () => process.exit(3));`, 1);
      await expect(threads.run(job)).rejects.toThrow('hashing thread exited (3)');
      await expect(threads.run(job)).rejects.toThrow('hashing thread exited (3)');
    });

    it('while idle, is never handed a job', async () => {
      // Answers once, then ends.
      const threads = new HashThreads(
        `const { parentPort } = require('node:worker_threads');
        parentPort.on('message', () => { parentPort.postMessage({ value: true }); setTimeout(() => process.exit(0), 10); });`,
        1,
      );
      expect(await threads.run(job)).toEqual({ value: true });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await threads.run(job)).toEqual({ value: true });
    });
  });
});
