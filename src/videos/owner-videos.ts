import type { EntityManager } from 'typeorm';
import type { PurgeEntry } from '../infra/storage/storage-purge.js';

/** What an account's videos add up to. */
export interface OwnerUsage {
  videoCount: number;
  /** Originals and renditions, in bytes. */
  storageUsed: number;
}

/**
 * The port through which accounts learn about and remove a space's videos, without knowing
 * videos: provided by VideosModule (backed by VideoRepository), injected by AccountService.
 */
export abstract class OwnerVideos {
  /** Public videos: what others are shown. */
  abstract countByOwner(uid: number): Promise<number>;

  /** One account's (zeros without videos). */
  abstract usageOf(uid: number): Promise<OwnerUsage>;

  /** Per uid, for a page of accounts (absent: no videos). */
  abstract usagesOf(uids: number[]): Promise<Map<number, OwnerUsage>>;

  /**
   * Removes every video row of `uid` inside the caller's transaction and returns the stored keys
   * they named, for the caller to purge.
   */
  abstract removeAllOf(uid: number, manager: EntityManager): Promise<PurgeEntry[]>;
}
