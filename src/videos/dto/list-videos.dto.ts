import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '../video.rules.js';

/** Query parameters (a GET): sent as decimal digits, documented as integers; the checks are on the digits. */
export class ListVideosDto {
  @ApiPropertyOptional({
    description: '空间的 uid；不填为自己的 (the space; default: your own, which needs a login)',
    type: 'integer',
    format: 'int64',
    minimum: 1000000000,
    maximum: 9999999999,
    example: 4821930571,
  })
  @IsOptional()
  @Matches(/^[1-9]\d{9}$/)
  uid?: string;

  @ApiPropertyOptional({ description: '页码，从 1 开始 (page, from 1)', type: 'integer', minimum: 1, maximum: 999999999, default: 1 })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/)
  page?: string;

  @ApiPropertyOptional({
    description: `每页条数，最多 ${PAGE_SIZE_MAX}；更大的数按 ${PAGE_SIZE_MAX} (per page; more is taken as ${PAGE_SIZE_MAX})`,
    type: 'integer',
    minimum: 1,
    maximum: 999999999,
    default: PAGE_SIZE_DEFAULT,
  })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/)
  page_size?: string;
}
