import { Global, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { AdminCheck } from '../session/admin-check.js';
import type { SessionUser } from '../session/session-user.js';
import { User } from './user.entity.js';

/** A live, enabled account whose current email ADMIN_EMAILS names. */
@Injectable()
export class AccountRoles extends AdminCheck {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async isAdmin(viewer: Pick<SessionUser, 'id'>): Promise<boolean> {
    const user = await this.users.findOne({
      where: { id: viewer.id, deletedAt: IsNull(), disabled: false },
      select: { id: true, email: true },
    });
    return !!user && this.config.adminEmails.includes(user.email);
  }
}

/** AdminCheck for every module (videos use it without importing accounts). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [{ provide: AdminCheck, useClass: AccountRoles }],
  exports: [AdminCheck],
})
export class AccountRolesModule {}
