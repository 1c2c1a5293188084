import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Param,
  Post,
  Query,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { Request } from 'express';
import { Errno, Success } from '../../common/errno.js';
import { ErrnoError } from '../../common/errno.error.js';
import { Reply } from '../../common/reply.js';
import { ApiErrnos, ApiFormBody } from '../../common/swagger.js';
import { AuthenticatedGuard } from '../../session/authenticated.guard.js';
import type { SessionUser } from '../../session/session-user.js';
import { AdminCheck } from '../../session/admin-check.js';
import { SESSION_COOKIE } from '../../session/session.module.js';
import { AdminUserResponse } from './admin.response.js';
import { ADMIN_PAGE_SIZE_MAX, AdminService } from './admin.service.js';

/** After AuthenticatedGuard (1011): 9403 unless the account is an admin now (its current email in ADMIN_EMAILS). */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly roles: AdminCheck) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const viewer = context.switchToHttp().getRequest<Request>().user as SessionUser;
    if (!(await this.roles.isAdmin(viewer))) throw new ErrnoError(Errno.Forbidden);
    return true;
  }
}

export class AdminUsersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1, description: '页码 (page, from 1)' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/)
  page?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: ADMIN_PAGE_SIZE_MAX,
    default: 20,
    description: `每页条数 (per page, 1–${ADMIN_PAGE_SIZE_MAX})`,
  })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/)
  page_size?: string;

  @ApiPropertyOptional({ description: '邮箱或用户名的一部分 (part of an email or a username, any case)' })
  @IsOptional()
  @IsString()
  q?: string;
}

export class AdminChangeDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '停用 (disable: its sessions end at once, its login answers 1012)' })
  @IsOptional()
  @IsString()
  disabled?: string;

  @ApiPropertyOptional({
    example: '10737418240',
    description: '存储配额，字节；空为不限；default 为默认配额 (bytes; empty: unlimited; `default`: USER_QUOTA_BYTES)',
  })
  @IsOptional()
  @IsString()
  storage_quota?: string;
}

const { LoginRequired, Forbidden, BadRequest, Internal } = Errno;

/** The admin API: accounts with their usage, disable/enable, quotas. */
@ApiTags('admin')
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(AuthenticatedGuard, AdminGuard)
@Controller('api/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('users')
  @ApiOperation({ summary: '用户列表 (accounts with their usage, newest first; admins only)' })
  @ApiErrnos(Success.Ok, [LoginRequired, Forbidden, BadRequest, Internal], {
    total: { type: 'integer', example: 1 },
    users: [AdminUserResponse],
  })
  async list(@Query() query: AdminUsersQuery): Promise<Reply> {
    const pageSize = Number(query.page_size ?? 20);
    if (pageSize > ADMIN_PAGE_SIZE_MAX) throw new ErrnoError(Errno.BadRequest);
    return new Reply(Success.Ok, await this.admin.list(Number(query.page ?? 1), pageSize, query.q ?? ''));
  }

  @Post('users/:uid')
  @HttpCode(200)
  @ApiParam({ name: 'uid', schema: { type: 'integer', format: 'int64', example: 4821930571 } })
  @ApiOperation({ summary: '修改用户 (disable/enable an account, set its storage quota; admins only)' })
  @ApiFormBody(AdminChangeDto)
  @ApiErrnos(Success.Ok, [LoginRequired, Forbidden, Errno.NotRegistered, BadRequest, Internal], { user: AdminUserResponse })
  async update(@Param('uid') uid: string, @Body() change: AdminChangeDto): Promise<Reply> {
    return new Reply(Success.Ok, { user: await this.admin.update(uid, change) });
  }
}
