import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '../database/transaction.js';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { Clock } from '../infra/clock.js';
import { StoragePurger } from '../infra/storage/storage-purge.js';
import { SessionDirectory } from '../session/session-directory.js';
import type { SessionUser } from '../session/session-user.js';
import { OwnerVideos } from '../videos/owner-videos.js';
import { AccountService, type LoginAttempt } from './account.service.js';
import { avatarKeys } from './profile.service.js';
import { LIVE, User } from './user.entity.js';

/**
 * Deleting an account (password confirmed like a login: 1005, 1002). One transaction turns the row
 * into a tombstone that keeps only its uid (so the uid is never issued again, and the email is free
 * to register anew), removes the video rows and records every stored key they and the avatar named
 * in the purge table; then the sessions end and the purge job removes the bytes, resuming after a
 * restart or a storage failure.
 */
@Injectable()
export class AccountDeletion {
  constructor(
    private readonly accounts: AccountService,
    private readonly data: DataSource,
    private readonly videos: OwnerVideos,
    private readonly purger: StoragePurger,
    private readonly sessions: SessionDirectory,
    private readonly clock: Clock,
  ) {}

  async delete(viewer: SessionUser, password: string | undefined, from: LoginAttempt): Promise<void> {
    const user = await this.accounts.confirmPassword(viewer, password, from);
    await inTransaction(this.data, async (manager) => {
      const { affected } = await manager.getRepository(User).update(
        { id: user.id, ...LIVE },
        {
          email: `deleted:${user.id}`,
          username: '',
          passwordHash: '',
          bio: '',
          avatarVersion: null,
          disabled: false,
          storageQuota: null,
          deletedAt: new Date(Math.floor(this.clock.now() / 1000) * 1000),
        },
      );
      // Deleted by a request at the same time: that one does the rest.
      if (!affected) throw new ErrnoError(Errno.LoginRequired);
      const keys = await this.videos.removeAllOf(user.uid, manager);
      if (user.avatarVersion) keys.push(...avatarKeys(user.uid, user.avatarVersion));
      await this.purger.enqueue(keys, manager);
    });
    await this.sessions.endAll(user.uid);
    this.purger.kick();
  }
}
