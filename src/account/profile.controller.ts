import { Body, Controller, Delete, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Errno, Success } from '../common/errno.js';
import { IMAGE_MAX_BYTES, readImageUpload } from '../common/http/image-upload.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos, ApiFormBody } from '../common/swagger.js';
import { AuthenticatedGuard } from '../session/authenticated.guard.js';
import { CurrentUser } from '../session/current-user.decorator.js';
import type { SessionUser } from '../session/session-user.js';
import { SESSION_COOKIE } from '../session/session.module.js';
import { ProfileDto } from './dto/account.dto.js';
import { OwnProfileResponse } from './profile.response.js';
import { ProfileService } from './profile.service.js';

export const AVATAR_FIELD = 'avatar';
const { LoginRequired, BadRequest, Internal } = Errno;

/** A person's own name, bio and avatar. */
@ApiTags('account')
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(AuthenticatedGuard)
@Controller('api/account')
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @Post('profile')
  @HttpCode(200)
  @ApiOperation({ summary: '修改资料 (change the username and/or the bio; an absent field stays)' })
  @ApiFormBody(ProfileDto)
  @ApiErrnos(Success.Ok, [LoginRequired, Errno.InvalidUsername, BadRequest, Internal], { user: OwnProfileResponse })
  async update(@Body() params: ProfileDto, @CurrentUser() viewer: SessionUser): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.profiles.update(viewer, params) });
  }

  @Post('avatar')
  @HttpCode(200)
  @ApiOperation({
    summary: '上传头像 (upload an avatar: JPEG, PNG or WebP by content, at most 5 MiB)',
    description: 'Decoded and written anew as square 256 px and 64 px WebP (metadata removed); the uploaded bytes are never served.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [AVATAR_FIELD],
      properties: { [AVATAR_FIELD]: { type: 'string', format: 'binary', description: `头像图片 (the image, ≤ ${IMAGE_MAX_BYTES} bytes)` } },
    },
  })
  @ApiErrnos(Success.Ok, [LoginRequired, BadRequest, Errno.UnsupportedImage, Errno.ImageTooLarge, Internal], { user: OwnProfileResponse })
  async setAvatar(@Req() request: Request, @CurrentUser() viewer: SessionUser): Promise<Reply> {
    const image = await readImageUpload(request, AVATAR_FIELD);
    return new Reply(Success.Ok, { user: await this.profiles.setAvatar(viewer, image) });
  }

  @Delete('avatar')
  @ApiOperation({ summary: '删除头像 (remove the avatar)' })
  @ApiErrnos(Success.Ok, [LoginRequired, Internal], { user: OwnProfileResponse })
  async removeAvatar(@CurrentUser() viewer: SessionUser): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.profiles.removeAvatar(viewer) });
  }
}
