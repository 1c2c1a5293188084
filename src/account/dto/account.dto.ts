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

const PURPOSE = {
  enum: ['register', 'reset', 'email'],
  // No `default` in the schema: generated clients would then make the field required.
  description: '用途 (what the code is for): register (when absent), reset (password), email (change of address, logged in)',
};

export class SendVcodeDto extends EmailDto {
  @ApiPropertyOptional(PURPOSE)
  @IsOptional()
  @IsString()
  purpose?: string;
}

export class CheckVcodeDto extends ValidateVcodeDto {
  @ApiPropertyOptional(PURPOSE)
  @IsOptional()
  @IsString()
  purpose?: string;
}

export class NewPasswordDto {
  @ApiProperty({ example: 'newsecret456', description: '新密码，8–64 个字符，含字母和数字 (8–64 characters, a letter and a digit)' })
  @IsOptional()
  @IsString()
  password_1?: string;

  @ApiProperty({ example: 'newsecret456', description: '再次输入新密码 (the new password again)' })
  @IsOptional()
  @IsString()
  password_2?: string;
}

export class ResetPasswordDto extends NewPasswordDto {
  @ApiProperty({ example: 'alice@example.com', description: '邮箱 (email)' })
  @IsOptional()
  @IsString()
  email?: string;

  @ApiProperty({ example: '123456', description: '重置密码验证码 (the code of purpose reset)' })
  @IsOptional()
  @IsString()
  vcode?: string;
}

export class ChangePasswordDto extends NewPasswordDto {
  @ApiProperty({ example: 'secret123', description: '当前密码 (the current password)' })
  @IsOptional()
  @IsString()
  password?: string;
}

export class ChangeEmailDto {
  @ApiProperty({ example: 'alice@example.org', description: '新邮箱 (the new email)' })
  @IsOptional()
  @IsString()
  email?: string;

  @ApiProperty({ example: '123456', description: '发到新邮箱的验证码 (the code of purpose email, mailed to the new address)' })
  @IsOptional()
  @IsString()
  vcode?: string;
}

export class ProfileDto {
  @ApiPropertyOptional({ example: '小明', description: '用户名，1–20 个字符 (1 to 20 characters); absent: unchanged' })
  @IsOptional()
  @IsString()
  username?: string;

  @ApiPropertyOptional({
    example: '拍拍日常',
    description: '简介，最多 200 个字符 (up to 200 characters, may be empty); absent: unchanged',
  })
  @IsOptional()
  @IsString()
  bio?: string;
}

export class PasswordDto {
  @ApiProperty({ example: 'secret123', description: '当前密码 (the current password)' })
  @IsOptional()
  @IsString()
  password?: string;
}
