import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '../video.rules.js';
import { SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, SORTS, type Sort } from '../video-list.js';

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
  @ApiPropertyOptional({
    description: '排序 (order): new 最新 (newest first), old 最早 (oldest first), views 最多播放 (most viewed, then newest)',
    enum: SORTS,
    default: 'new',
  })
  @IsOptional()
  @IsIn(SORTS)
  sort?: Sort;

  @ApiPropertyOptional({
    description: `搜索标题 (words in the title: each must appear, any case; % and _ are plain characters); at most ${SEARCH_MAX_WORDS} words and ${SEARCH_MAX_CHARS} characters`,
    maxLength: SEARCH_MAX_CHARS,
    example: '旅行 2024',
  })
  @IsOptional()
  @IsString()
  q?: string;

  @ApiPropertyOptional({
    description: '上一页答复的 next (the `next` of the previous answer, for the same sort); wins over `page`',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;
}
