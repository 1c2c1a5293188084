import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Errno, Success } from '../common/errno.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos, ApiPublic } from '../common/swagger.js';
import { AccountService } from './account.service.js';
import { ProfileResponse } from './profile.response.js';

/** Public profiles: what a personal space shows of its owner (never the email). */
@ApiTags('account')
@Controller('api/users')
export class UsersController {
  constructor(private readonly accounts: AccountService) {}

  @Get(':uid')
  @ApiPublic()
  @ApiParam({
    name: 'uid',
    description: "10 位 uid (the space's 10-digit uid); anything else answers 1001",
    schema: { type: 'integer', format: 'int64', minimum: 1000000000, maximum: 9999999999, example: 4821930571 },
  })
  @ApiOperation({ summary: '个人空间资料 (the public profile of a space)' })
  @ApiErrnos(Success.Ok, [Errno.NotRegistered, Errno.Internal], { user: ProfileResponse })
  async profile(@Param('uid') uid: string): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.accounts.publicProfile(uid) });
  }
}
