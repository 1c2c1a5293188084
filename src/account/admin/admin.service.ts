import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { containsPattern, ESCAPED } from '../../database/like.js';
import { Errno } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';
import { AppConfig } from '../../config/app-config.js';
import { SessionDirectory } from '../../session/session-directory.js';
import { OwnerVideos } from '../../videos/owner-videos.js';
import { effectiveQuota, isUid, UNLIMITED_QUOTA } from '../account.rules.js';
import { AccountService } from '../account.service.js';
import { toAdminUserResponse, type AdminUserResponse } from './admin.response.js';
import { LIVE, User } from '../user.entity.js';

export interface AdminChange {
  disabled?: string;
  storage_quota?: string;
}

export const ADMIN_PAGE_SIZE_MAX = 100;

/** What the person who runs the server does with accounts: look them up, disable them, set their quota. */
@Injectable()
export class AdminService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly accounts: AccountService,
    private readonly videos: OwnerVideos,
    private readonly sessions: SessionDirectory,
    private readonly config: AppConfig,
  ) {}

  /** Newest account first; `q` is part of an email or a username, any case. */
  async list(page: number, pageSize: number, q: string): Promise<{ total: number; users: AdminUserResponse[] }> {
    const query = this.users.createQueryBuilder('u').where('u.deleted_at IS NULL');
    if (q) {
      const pattern = containsPattern(q.toLowerCase());
      query.andWhere(
        new Brackets((where) =>
          where.where(`u.email LIKE :pattern ${ESCAPED}`, { pattern }).orWhere(`LOWER(u.username) LIKE :pattern ${ESCAPED}`, { pattern }),
        ),
      );
    }
    const [rows, total] = await query
      .orderBy('u.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    const usage = await this.videos.usagesOf(rows.map((user) => user.uid));
    return { total, users: rows.map((user) => this.toResponse(user, usage.get(user.uid))) };
  }

  /**
   * 1001 for an unknown uid; 9000 for values that are not `true`/`false` and bytes (or empty:
   * unlimited; `default`: USER_QUOTA_BYTES again), or for disabling an admin (nobody can lock the admins out). Disabling ends every
   * session of the account at once.
   */
  async update(uid: string, change: AdminChange): Promise<AdminUserResponse> {
    const user = isUid(uid) ? await this.users.findOneBy({ uid: Number(uid), ...LIVE }) : null;
    if (!user) throw new ErrnoError(Errno.NotRegistered);
    const fields: Partial<Pick<User, 'disabled' | 'storageQuota'>> = {};
    if (change.disabled !== undefined) {
      if (change.disabled !== 'true' && change.disabled !== 'false') throw new ErrnoError(Errno.BadRequest);
      fields.disabled = change.disabled === 'true';
      if (fields.disabled && this.accounts.roleOf(user.email) === 'admin') throw new ErrnoError(Errno.BadRequest);
    }
    if (change.storage_quota !== undefined) {
      const quota = change.storage_quota;
      if (quota === '') fields.storageQuota = UNLIMITED_QUOTA;
      else if (quota === 'default') fields.storageQuota = null;
      else if (/^\d{1,16}$/.test(quota) && Number.isSafeInteger(Number(quota))) fields.storageQuota = Number(quota);
      else throw new ErrnoError(Errno.BadRequest);
    }
    if (Object.keys(fields).length) await this.users.update({ id: user.id }, fields);
    if (fields.disabled) await this.sessions.endAll(user.uid);
    const updated = { ...user, ...fields };
    return this.toResponse(updated, await this.videos.usageOf(user.uid));
  }

  private toResponse(user: User, usage: { videoCount: number; storageUsed: number } | undefined): AdminUserResponse {
    return toAdminUserResponse(user, {
      videoCount: usage?.videoCount ?? 0,
      storageUsed: usage?.storageUsed ?? 0,
      storageQuota: effectiveQuota(user.storageQuota, this.config.userQuotaBytes),
      role: this.accounts.roleOf(user.email),
    });
  }
}
