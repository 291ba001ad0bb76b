import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class RegisterDto {
  @ApiProperty({ example: 'reader01', description: '3–32 letters, digits or underscores' })
  @IsString({ message: 'username 必须是字符串' })
  @Matches(/^[A-Za-z0-9_]{3,32}$/, { message: 'username 须为 3–32 位字母、数字或下划线' })
  username: string;

  @ApiProperty({ example: 'a-long-password', minLength: 8, maxLength: 128 })
  @IsString({ message: 'password 必须是字符串' })
  @Length(8, 128, { message: 'password 长度须为 8–128 位' })
  password: string;

  @ApiPropertyOptional({ example: '读者小王', maxLength: 32 })
  @IsOptional()
  @IsString({ message: 'nickname 必须是字符串' })
  @Length(1, 32, { message: 'nickname 长度须为 1–32 个字符' })
  nickname?: string;
}
