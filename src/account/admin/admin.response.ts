import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { Role } from '../../session/session-user.js';
import type { AccountFigures } from '../profile.response.js';
import type { User } from '../user.entity.js';

@ApiSchema({ name: 'AdminUser', description: 'An account as its admin sees it.' })
export class AdminUserResponse {
  @ApiProperty({ type: 'integer', format: 'int64', example: 4821930571 })
  uid!: number;

  @ApiProperty({ example: '小明' })
  username!: string;

  @ApiProperty({ example: 'alice@example.com' })
  email!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ type: 'integer', example: 3 })
  video_count!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 73400320, description: 'bytes: originals and renditions' })
  storage_used!: number;

  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, example: null, description: 'bytes; null: unlimited' })
  storage_quota!: number | null;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ enum: ['user', 'admin'] })
  role!: Role;
}

export function toAdminUserResponse(
  user: Pick<User, 'uid' | 'username' | 'email' | 'createdAt' | 'disabled'>,
  figures: AccountFigures,
): AdminUserResponse {
  return {
    uid: user.uid,
    username: user.username,
    email: user.email,
    created_at: user.createdAt.toISOString(),
    video_count: figures.videoCount,
    storage_used: figures.storageUsed,
    storage_quota: figures.storageQuota,
    disabled: user.disabled,
    role: figures.role,
  };
}
