import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { PageQuery, READER_PAGE } from '../../common/dto/page.query.js';

export class CreateArticleDto {
  @ApiProperty({ example: '告别平庸的15个小方法', maxLength: 200 })
  @IsString({ message: 'name 必须是字符串' })
  @Length(1, 200, { message: 'name 长度须为 1–200 个字符' })
  name: string;

  @ApiProperty({ description: 'Markdown', example: '## 第一条\n\n每天读书半小时。' })
  @IsString({ message: 'content 必须是字符串' })
  @Length(1, 50_000, { message: 'content 长度须为 1–50000 个字符' })
  content: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'is_public 必须是布尔值' })
  is_public?: boolean;
}

/** PATCH: every field optional, but a field that is sent must be valid (null is not "absent"). */
export class UpdateArticleDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsString({ message: 'name 必须是字符串' })
  @Length(1, 200, { message: 'name 长度须为 1–200 个字符' })
  name?: string;

  @ApiPropertyOptional({ description: 'Markdown' })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsString({ message: 'content 必须是字符串' })
  @Length(1, 50_000, { message: 'content 长度须为 1–50000 个字符' })
  content?: string;

  @ApiPropertyOptional()
  @ValidateIf((_dto, value) => value !== undefined)
  @IsBoolean({ message: 'is_public 必须是布尔值' })
  is_public?: boolean;
}

export class PreviewArticleDto {
  @ApiProperty({ description: 'Markdown' })
  @IsString({ message: 'content 必须是字符串' })
  @Length(0, 50_000, { message: 'content 不能超过 50000 个字符' })
  content: string;
}

export class ListArticlesQuery extends PageQuery(READER_PAGE) {}
