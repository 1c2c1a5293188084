import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * Parameters arrive as strings from the query or the body (already merged and trimmed by the
 * request-params middleware). Here only their type is checked (else 9000); the rules of each
 * field are the service's, so that errnos come in the contract's order.
 */
export class EmailDto {
  @ApiProperty({ example: 'alice@example.com', description: '邮箱 (email)' })
  @IsOptional()
  @IsString()
  email?: string;
}

export class ValidateVcodeDto extends EmailDto {
  @ApiProperty({ example: '123456', description: '6 位验证码 (the 6-digit code from the mail)' })
  @IsOptional()
  @IsString()
  vcode?: string;
}

export class RegisterDto extends EmailDto {
  @ApiProperty({ example: '小明', description: '用户名，1–20 个字符 (1 to 20 characters)' })
  @IsOptional()
  @IsString()
  username?: string;

  @ApiProperty({ example: 'secret123', description: '密码，8–64 个字符，含字母和数字 (8–64 characters, a letter and a digit)' })
  @IsOptional()
  @IsString()
  password_1?: string;

  @ApiProperty({ example: 'secret123', description: '再次输入密码 (the password again)' })
  @IsOptional()
  @IsString()
  password_2?: string;

  @ApiPropertyOptional({
    example: '123456',
    description: '验证码；已通过 validatevacode 验证时可省略 (the code; optional after a successful validatevacode)',
  })
  @IsOptional()
  @IsString()
  vcode?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'alice@example.com', description: '邮箱或 uid (email or 10-digit uid)' })
  @IsOptional()
  @IsString()
  user?: string;

  @ApiProperty({ example: 'secret123', description: '密码 (password)' })
  @IsOptional()
  @IsString()
  password?: string;
}
