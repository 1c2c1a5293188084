import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Errno, Success } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { IMMUTABLE, REVALIDATE, serveObject, withStatus } from '../common/http/byte-response.js';
import { Reply } from '../common/reply.js';
import { ApiBytes, ApiErrnos, ApiPublic } from '../common/swagger.js';
import { StorageService } from '../infra/storage/storage.service.js';
import { AccountService } from './account.service.js';
import { ProfileResponse } from './profile.response.js';
import { AVATAR_SIZES, ProfileService, type AvatarSize } from './profile.service.js';

const UID_PARAM = ApiParam({
  name: 'uid',
  description: "10 位 uid (the space's 10-digit uid); anything else answers 1001",
  schema: { type: 'integer', format: 'int64', minimum: 1000000000, maximum: 9999999999, example: 4821930571 },
});

/** Public profiles: what a personal space shows of its owner (never the email), and its avatar. */
@ApiTags('account')
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly accounts: AccountService,
    private readonly profiles: ProfileService,
    private readonly storage: StorageService,
  ) {}

  @Get(':uid')
  @ApiPublic()
  @UID_PARAM
  @ApiOperation({ summary: '个人空间资料 (the public profile of a space)' })
  @ApiErrnos(Success.Ok, [Errno.NotRegistered, Errno.Internal], { user: ProfileResponse })
  async profile(@Param('uid') uid: string): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.accounts.publicProfile(uid) });
  }

  @Get(':uid/avatar')
  @ApiPublic()
  @UID_PARAM
  @ApiQuery({ name: 'size', required: false, schema: { type: 'integer', enum: [...AVATAR_SIZES], default: 256 } })
  @ApiQuery({
    name: 'v',
    required: false,
    schema: { type: 'string' },
    description: 'the version in `avatar_url` (makes the URL change with the avatar)',
  })
  @ApiOperation({ summary: '头像 (the avatar, square WebP; GET and HEAD)' })
  @ApiBytes(['image/webp'], [Errno.NotRegistered])
  async avatar(
    @Param('uid') uid: string,
    @Query('size') size: string | undefined,
    @Query('v') version: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const side = Number(size ?? 256) as AvatarSize;
    // Any other size is an image that does not exist, like a missing avatar.
    if (!AVATAR_SIZES.includes(side)) throw new ErrnoError(Errno.NotRegistered, 404);
    const avatar = await withStatus(this.profiles.avatarOf(uid, side), 404);
    // The URL in avatar_url names one version, so it never serves other bytes: cached for good. Any other URL is asked about.
    const cache = version === avatar.version ? IMMUTABLE : REVALIDATE;
    await serveObject(request, response, this.storage, avatar.key, 'image/webp', cache);
  }
}
