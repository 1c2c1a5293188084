import type { ErrnoEntry } from './errno.js';

/**
 * What a controller returns on success: the message entry and the data fields. The envelope
 * interceptor turns it into `{errno: 0, msg, ...data}` in the caller's language.
 */
export class Reply<T extends object = object> {
  constructor(
    readonly message: ErrnoEntry,
    readonly data: T = {} as T,
  ) {}
}
