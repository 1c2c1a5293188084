import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Errno, Success } from '../common/errno.js';
import { Reply } from '../common/reply.js';
import { ApiErrnos } from '../common/swagger.js';
import { AccountService } from './account.service.js';

/** Public profiles: what a personal space shows of its owner (never the email). */
@ApiTags('account')
@Controller('api/users')
export class UsersController {
  constructor(private readonly accounts: AccountService) {}

  @Get(':uid')
  @ApiParam({ name: 'uid', description: "10 位 uid (the space's 10-digit uid)" })
  @ApiOperation({ summary: '个人空间资料 (the public profile of a space)' })
  @ApiErrnos(Success.Ok, [Errno.NotRegistered, Errno.Internal], {
    user: {
      type: 'object',
      properties: {
        uid: { type: 'integer', example: 4821930571 },
        username: { type: 'string', example: '小明' },
        created_at: { type: 'string', format: 'date-time' },
        video_count: { type: 'integer', example: 3 },
      },
    },
  })
  async profile(@Param('uid') uid: string): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.accounts.publicProfile(uid) });
  }
}
