import { Global, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { StorageQuotas } from '../videos/quota/storage-quotas.js';
import { effectiveQuota } from './account.rules.js';
import { User } from './user.entity.js';

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
    const user = await this.users.findOne({ where: { uid, deletedAt: IsNull() }, select: { id: true, storageQuota: true } });
    return user ? effectiveQuota(user.storageQuota, this.config.userQuotaBytes) : 0;
  }
}

/** StorageQuotas for every module (uploads use it without importing accounts). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [{ provide: StorageQuotas, useClass: AccountQuotas }],
  exports: [StorageQuotas],
})
export class QuotaModule {}
