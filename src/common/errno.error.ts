import type { ErrnoEntry } from './errno.js';

/** The one way a service reports a domain outcome; the global filter turns it into `{errno, msg}`. */
export class ErrnoError extends Error {
  /** HTTP status: 200 by the contract's convention; the byte endpoints use 404 and 416. */
  constructor(
    readonly entry: ErrnoEntry,
    readonly status = 200,
    readonly headers: Record<string, string> = {},
  ) {
    super(`errno ${entry.errno}: ${entry.en}`);
    this.name = 'ErrnoError';
  }

  get errno(): number {
    return this.entry.errno;
  }
}
