import { Global, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { AdminCheck } from '../session/admin-check.js';
import { SessionAccounts } from '../session/session-accounts.js';
import { toSessionUser, type SessionUser } from '../session/session-user.js';
import { StorageQuotas } from '../videos/quota/storage-quotas.js';
import { effectiveQuota, roleFor } from './account.rules.js';
import { LIVE, User } from './user.entity.js';

/** The SessionUser of a live, enabled account, with its role as ADMIN_EMAILS gives it now. */
@Injectable()
export class AccountSessionUsers extends SessionAccounts {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async sessionUser(id: number): Promise<SessionUser | null> {
    const user = await this.users.findOne({
      where: { id, ...LIVE, disabled: false },
      select: { id: true, uid: true, username: true, email: true },
    });
    return user ? toSessionUser(user, roleFor(user.email, this.config.adminEmails)) : null;
  }
}

/** A live, enabled account whose current email ADMIN_EMAILS names: the account as it is now. */
@Injectable()
export class AccountRoles extends AdminCheck {
  constructor(private readonly accounts: SessionAccounts) {
    super();
  }

  async isAdmin(viewer: Pick<SessionUser, 'id'>): Promise<boolean> {
    return (await this.accounts.sessionUser(viewer.id))?.role === 'admin';
  }
}

/** An account's own quota, else USER_QUOTA_BYTES (the rule `me` and the admin API show). */
@Injectable()
export class AccountQuotas extends StorageQuotas {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** A deleted (or unknown) account may store nothing: an upload still running for it makes no row. */
  async quotaOf(uid: number): Promise<number | null> {
    const user = await this.users.findOne({ where: { uid, ...LIVE }, select: { id: true, storageQuota: true } });
    return user ? effectiveQuota(user.storageQuota, this.config.userQuotaBytes) : 0;
  }
}

/**
 * What sessions and videos ask of accounts through ports they define (SessionAccounts, AdminCheck,
 * StorageQuotas), for every module. Global, and importing only the User entity and the
 * configuration, not AccountModule (which imports VideosModule): sessions and videos use accounts
 * without importing them.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [
    { provide: SessionAccounts, useClass: AccountSessionUsers },
    { provide: AdminCheck, useClass: AccountRoles },
    { provide: StorageQuotas, useClass: AccountQuotas },
  ],
  exports: [SessionAccounts, AdminCheck, StorageQuotas],
})
export class AccountPortsModule {}
