import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { Column, Entity, PrimaryGeneratedColumn, type EntityManager, type Repository } from 'typeorm';
import { bigintAsNumber } from '../../database/bigint-as-number.js';
import { StorageService } from './storage.service.js';

/** Stored bytes that nothing names any more and that wait to be removed. */
@Entity('storage_purges')
export class StoragePurge {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'storage_key', type: 'varchar', length: 255 })
  key!: string;

  /** Whether `key` is a prefix (a video's renditions) rather than one object. */
  @Column({ type: 'boolean', default: false })
  prefix!: boolean;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintAsNumber })
  createdAt!: number;
}

export type PurgeEntry = Pick<StoragePurge, 'key' | 'prefix'>;

const BATCH = 100;
export const STORAGE_PURGE = 'storage-purge';
const PURGE_EVERY_MS = 60_000;

/**
 * Removal of stored bytes as a durable job: the keys are written to `storage_purges` in the same
 * transaction that makes them unreachable (an account deletion), and removed from storage
 * afterwards, at start, right after they are recorded and every minute. A restart or a storage
 * failure leaves the rows, so the work resumes; deleting a missing object is not an error, so two
 * instances draining at once do no harm.
 */
@Injectable()
export class StoragePurger implements OnApplicationBootstrap {
  private readonly logger = new Logger(StoragePurger.name);
  private draining: Promise<number> | null = null;

  constructor(
    @InjectRepository(StoragePurge) private readonly purges: Repository<StoragePurge>,
    private readonly storage: StorageService,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  /** Records keys to remove, inside the caller's transaction when it passes its manager. */
  async enqueue(entries: PurgeEntry[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    const repository = manager ? manager.getRepository(StoragePurge) : this.purges;
    await repository.insert(entries.map((entry) => ({ ...entry, createdAt: Date.now() })));
  }

  /** Starts a drain in the background (at most one per process at a time). */
  @Interval(STORAGE_PURGE, PURGE_EVERY_MS)
  kick(): void {
    void this.drain().catch((error: Error) => this.logger.warn(`storage purge: ${error.message}`));
  }

  /** Removes what is recorded; resolves with how many entries went. Stops at the first storage failure (retried later). */
  drain(): Promise<number> {
    this.draining ??= this.drainAll().finally(() => (this.draining = null));
    return this.draining;
  }

  /** How many entries wait. */
  pending(): Promise<number> {
    return this.purges.count();
  }

  private async drainAll(): Promise<number> {
    let done = 0;
    for (;;) {
      const batch = await this.purges.find({ order: { id: 'ASC' }, take: BATCH });
      if (!batch.length) return done;
      for (const entry of batch) {
        await (entry.prefix ? this.storage.deletePrefix(entry.key) : this.storage.delete(entry.key));
        await this.purges.delete({ id: entry.id });
        done++;
      }
      if (batch.length < BATCH) return done;
    }
  }
}
