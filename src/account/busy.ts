import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import type { Exclusive } from '../infra/exclusive.js';
import { LockBusy } from '../infra/redis-lock.js';

/** Runs `work` under Exclusive; a key held past the wait answers 1005 (come back later). */
export async function alone<T>(exclusive: Exclusive, key: string, work: () => Promise<T>): Promise<T> {
  try {
    return await exclusive.run(key, work);
  } catch (error) {
    throw error instanceof LockBusy ? new ErrnoError(Errno.TooFrequent) : error;
  }
}
