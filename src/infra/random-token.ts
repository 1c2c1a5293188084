import { randomFillSync } from 'node:crypto';

/** Drawn from the CSPRNG at once, then handed out a token at a time (each byte once). */
const POOL_BYTES = 4096;

let pool = Buffer.alloc(0);
let used = 0;

/**
 * `bytes` random bytes from the CSPRNG as text: session ids, device ids, lock tokens, storage
 * keys. A `randomBytes` call costs about 8 µs here whatever its size (several times that beside a
 * login storm's hashing) and a login takes two or three, so the bytes come from a 4 KiB draw, as
 * Node's own `randomUUID` does.
 */
export function randomToken(bytes: number, encoding: 'hex' | 'base64url'): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > POOL_BYTES) throw new RangeError(`randomToken: ${bytes} bytes`);
  if (used + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    used = 0;
  }
  const token = pool.toString(encoding, used, used + bytes);
  used += bytes;
  return token;
}
