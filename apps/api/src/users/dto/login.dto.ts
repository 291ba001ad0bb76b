import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'demo_reader' })
  @IsString({ message: 'username 必须是字符串' })
  @Length(1, 64, { message: 'username 不能为空' })
  username: string;

  @ApiProperty({ example: 'reader-pass-2026' })
  @IsString({ message: 'password 必须是字符串' })
  @Length(1, 128, { message: 'password 不能为空' })
  password: string;
}
