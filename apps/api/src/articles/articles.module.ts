import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArticlesController } from './articles.controller.js';
import { ArticlesService } from './articles.service.js';
import { ArticleLikeEntity } from './entities/article-like.entity.js';
import { ArticleEntity } from './entities/article.entity.js';
import { PublicArticleCache } from './public-article-cache.js';
import { ReadCountsService } from './read-counts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ArticleEntity, ArticleLikeEntity])],
  controllers: [ArticlesController],
  providers: [ArticlesService, ReadCountsService, PublicArticleCache],
  exports: [ArticlesService, PublicArticleCache],
})
export class ArticlesModule {}
