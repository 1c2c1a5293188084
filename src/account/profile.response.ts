import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { User } from './user.entity.js';

/**
 * The profile shapes, defined once: these classes are the OpenAPI schemas `Profile` (a space's
 * public profile) and `OwnProfile` (`me`: the same plus the email), and so the web client's
 * types; `toProfileResponse` / `toOwnProfileResponse` are the only code that makes them.
 */

@ApiSchema({ name: 'Profile', description: 'What a personal space shows of its owner (never the email).' })
export class ProfileResponse {
  @ApiProperty({ type: 'integer', format: 'int64', example: 4821930571, description: 'the 10-digit uid' })
  uid!: number;

  @ApiProperty({ example: '小明' })
  username!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ type: 'integer', example: 3 })
  video_count!: number;
}

@ApiSchema({ name: 'OwnProfile', description: 'The logged-in account: its public profile and its email.' })
export class OwnProfileResponse extends ProfileResponse {
  @ApiProperty({ example: 'alice@example.com' })
  email!: string;
}

type ProfileColumns = Pick<User, 'uid' | 'username' | 'createdAt'>;

export function toProfileResponse(user: ProfileColumns, videoCount: number): ProfileResponse {
  return { uid: user.uid, username: user.username, created_at: user.createdAt.toISOString(), video_count: videoCount };
}

export function toOwnProfileResponse(user: ProfileColumns & Pick<User, 'email'>, videoCount: number): OwnProfileResponse {
  const { uid, username, created_at, video_count } = toProfileResponse(user, videoCount);
  return { uid, username, email: user.email, created_at, video_count };
}
