import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../users/current-user.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { Public } from '../common/public.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { ArticlesService } from './articles.service.js';
import {
  CreateArticleDto,
  ListArticlesQuery,
  PreviewArticleDto,
  UpdateArticleDto,
} from './dto/article.dto.js';
import { toOwnArticle } from './dto/article-responses.js';
import { renderMarkdown } from './markdown-renderer.js';

@ApiTags('articles')
@Controller('article')
export class ArticlesController {
  constructor(private readonly articlesService: ArticlesService) {}

  @Public()
  @Get()
  list(@Query() query: ListArticlesQuery) {
    return this.articlesService.listPublic(query.page, query.page_size);
  }

  @ApiBearerAuth()
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@CurrentUser() user: UserEntity, @Body() dto: CreateArticleDto) {
    return toOwnArticle(await this.articlesService.create(user, dto));
  }

  @ApiBearerAuth()
  @Post('preview')
  @HttpCode(HttpStatus.OK)
  preview(@Body() dto: PreviewArticleDto) {
    const { render, wordCount } = renderMarkdown(dto.content);
    return { render, word_count: wordCount };
  }

  /**
   * The article, counted as a read, unless `?count=0`: the site renders its article page with
   * that and lets the page count itself (POST :id/read below), so copies of the page served by
   * a cache count too.
   */
  @Public()
  @Get('detail/:id')
  detail(@Param('id', IdParamPipe) id: number, @Query('count') count?: string) {
    return this.articlesService.readPublished(id, { countRead: count !== '0' });
  }

  /**
   * Counts one read of the article without sending it: the site's article page calls this once
   * it is shown (a beacon), however it reached the reader — rendered, from the site's page
   * cache, or from a CDN.
   */
  @Public()
  @Post(':id/read')
  @HttpCode(HttpStatus.NO_CONTENT)
  async countRead(@Param('id', IdParamPipe) id: number): Promise<void> {
    await this.articlesService.countPageView(id);
  }

  @ApiBearerAuth()
  @Patch(':id')
  async update(
    @CurrentUser() user: UserEntity,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: UpdateArticleDto,
  ) {
    return toOwnArticle(await this.articlesService.update(user, id, dto));
  }

  @ApiBearerAuth()
  @Post(':id/like')
  @HttpCode(HttpStatus.OK)
  like(@CurrentUser() user: UserEntity, @Param('id', IdParamPipe) id: number) {
    return this.articlesService.like(user, id);
  }
}
