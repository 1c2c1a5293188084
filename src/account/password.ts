import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';

/** `Algorithm.Argon2id`: the package declares it as a const enum, which has no value at run time. */
const ARGON2ID = 2 as Algorithm;

/** argon2id at the OWASP baseline (19 MiB, 2 passes); runs on libuv's pool, off the event loop. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const CONCURRENCY = Math.max(1, availableParallelism() - 1);

/**
 * At most (cores - 1) hashes at once, leaving the event loop a core: a login storm slows logins,
 * not every other request. (`throwOnTimeout` only types the result; no timeout is set.)
 */
const hashing = new PQueue({ concurrency: CONCURRENCY });

/**
 * At most 32 hashes per running one may wait (about 1 s at ~30 ms a hash): past that, a login or a
 * registration answers 1005 at once instead of queueing behind a flood for seconds.
 */
export const HASH_QUEUE_LIMIT = 32 * CONCURRENCY;

/** Queues `work` on the hashing pool, or refuses (1005) when the queue is full. */
function queued<T>(work: () => Promise<T>): Promise<T> {
  if (hashing.size >= HASH_QUEUE_LIMIT) return Promise.reject(new ErrnoError(Errno.TooFrequent));
  return hashing.add(work, { throwOnTimeout: true });
}

export function hashPassword(password: string): Promise<string> {
  return queued(() => hash(password, OPTIONS));
}

/** True when `password` matches; 1005 when the hashing queue is full. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const check = queued(() => verify(passwordHash, password));
  try {
    return await check;
  } catch (error) {
    if (error instanceof ErrnoError) throw error;
    return false;
  }
}

/** Compared against when an account does not exist, so that both answers take the same time. */
let dummyHash: Promise<string> | undefined;
export async function verifyDummy(password: string): Promise<void> {
  // A refused first hash (queue full) is not remembered: the next call tries again.
  dummyHash ??= hashPassword('personal-space-dummy-password-1').catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  await verifyPassword(await dummyHash, password);
}
