import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';

/** `Algorithm.Argon2id`: the package declares it as a const enum, which has no value at run time. */
const ARGON2ID = 2 as Algorithm;

/** argon2id at the OWASP baseline (19 MiB, 2 passes); runs on libuv's pool, off the event loop. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * At most (cores - 1) hashes at once, leaving the event loop a core: a login storm slows logins,
 * not every other request. (`throwOnTimeout` only types the result; no timeout is set.)
 */
const hashing = new PQueue({ concurrency: Math.max(1, availableParallelism() - 1) });

export function hashPassword(password: string): Promise<string> {
  return hashing.add(() => hash(password, OPTIONS), { throwOnTimeout: true });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await hashing.add(() => verify(passwordHash, password), { throwOnTimeout: true });
  } catch {
    return false;
  }
}

/** Compared against when an account does not exist, so that both answers take the same time. */
let dummyHash: Promise<string> | undefined;
export async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('personal-space-dummy-password-1');
  await verifyPassword(await dummyHash, password);
}
