import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  modifiedAt: Date;
  /** A strong validator: S3's ETag, or size and time on disk (an object never changes under its key). */
  etag: string;
}

/**
 * Where video bytes and covers live. Keys are ours (never derived from user input). A save is
 * atomic: the object is visible under its key only once all of it was written.
 */
export abstract class StorageService {
  /** Streams `source` into `key`; on any error nothing is left under the key or elsewhere. Resolves with the size written. */
  abstract save(key: string, source: Readable): Promise<number>;

  /** A stream of the object's bytes, or of `start`..`end` (inclusive). */
  abstract openRead(key: string, range?: { start: number; end: number }): Promise<Readable>;

  abstract stat(key: string): Promise<StoredObject | null>;

  /** Removes the object; a missing key is not an error. */
  abstract delete(key: string): Promise<void>;

  /** Removes every object whose key starts with `prefix/` (a video's renditions). */
  abstract deletePrefix(prefix: string): Promise<void>;

  /** A path on local disk that tools (ffprobe, ffmpeg) can read, or null when the storage has none. */
  abstract localPath(key: string): string | null;

  /** The objects under a key prefix (`videos/`, `renditions/`), at any depth, with their times. */
  abstract list(prefix: string): Promise<{ key: string; modifiedAt: Date }[]>;

  /** Removes partial writes that a crashed process left behind. Returns how many went. */
  abstract sweepPartials(): Promise<number>;

  /** Whether the storage can be written now (for /api/health). */
  abstract isWritable(): Promise<boolean>;
}
