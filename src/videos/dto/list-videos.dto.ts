import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class ListVideosDto {
  @ApiPropertyOptional({
    description: '空间的 uid；不填为自己的 (the space; default: your own, which needs a login)',
    example: '4821930571',
  })
  @IsOptional()
  @Matches(/^[1-9]\d{9}$/)
  uid?: string;

  @ApiPropertyOptional({ description: '页码，从 1 开始 (page, from 1)', example: '1' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/)
  page?: string;

  @ApiPropertyOptional({ description: '每页条数，最多 100 (per page, at most 100)', example: '20' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/)
  page_size?: string;
}
