import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { DESCRIPTION_MAX, TITLE_MAX, VISIBILITIES } from '../video.rules.js';

/** What an edit may change; an absent field stays as it is. */
export class EditVideoDto {
  @ApiPropertyOptional({ maxLength: TITLE_MAX, description: `标题，1–${TITLE_MAX} 字 (not empty)` })
  @IsOptional()
  @IsString()
  title?: string;

  @ApiPropertyOptional({ maxLength: DESCRIPTION_MAX, description: `简介，最多 ${DESCRIPTION_MAX} 字` })
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ enum: VISIBILITIES, description: '公开 / 不公开列出 / 仅自己可见 (public, unlisted, private)' })
  @IsOptional()
  @IsString()
  visibility?: string;
}
