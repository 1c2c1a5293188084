import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { Role } from '../session/session-user.js';
import type { User } from './user.entity.js';

/**
 * The profile shapes, defined once: these classes are the OpenAPI schemas `Profile` (a space's
 * public profile) and `OwnProfile` (`me`: the same plus the email, usage and role), and so the web
 * client's types; `toProfileResponse` / `toOwnProfileResponse` are the only code that makes them.
 */

@ApiSchema({ name: 'Profile', description: 'What a personal space shows of its owner (never the email).' })
export class ProfileResponse {
  @ApiProperty({ type: 'integer', format: 'int64', example: 4821930571, description: 'the 10-digit uid' })
  uid!: number;

  @ApiProperty({ example: '小明' })
  username!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ type: 'integer', example: 3, description: 'videos in the space' })
  video_count!: number;

  @ApiProperty({ example: '拍拍日常', description: 'up to 200 characters; may be empty' })
  bio!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '/api/users/4821930571/avatar?v=3f9a1c02',
    description: 'the 256 px avatar (add `&size=64` for the small one); changes with every new avatar; null without one',
  })
  avatar_url!: string | null;
}

@ApiSchema({ name: 'OwnProfile', description: 'The logged-in account: its public profile, its email, its storage and its role.' })
export class OwnProfileResponse extends ProfileResponse {
  @ApiProperty({ example: 'alice@example.com' })
  email!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 73400320, description: 'bytes stored: originals and renditions' })
  storage_used!: number;

  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, example: null, description: 'bytes allowed; null: unlimited' })
  storage_quota!: number | null;

  @ApiProperty({ enum: ['user', 'admin'], example: 'user' })
  role!: Role;
}

type ProfileColumns = Pick<User, 'uid' | 'username' | 'createdAt' | 'bio' | 'avatarVersion'>;

export interface AccountFigures {
  videoCount: number;
  storageUsed: number;
  storageQuota: number | null;
  role: Role;
}

export const avatarUrl = (user: Pick<User, 'uid' | 'avatarVersion'>) =>
  user.avatarVersion ? `/api/users/${user.uid}/avatar?v=${user.avatarVersion}` : null;

export function toProfileResponse(user: ProfileColumns, videoCount: number): ProfileResponse {
  return {
    uid: user.uid,
    username: user.username,
    created_at: user.createdAt.toISOString(),
    video_count: videoCount,
    bio: user.bio,
    avatar_url: avatarUrl(user),
  };
}

export function toOwnProfileResponse(user: ProfileColumns & Pick<User, 'email'>, figures: AccountFigures): OwnProfileResponse {
  return {
    ...toProfileResponse(user, figures.videoCount),
    email: user.email,
    storage_used: figures.storageUsed,
    storage_quota: figures.storageQuota,
    role: figures.role,
  };
}
