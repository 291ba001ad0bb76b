export { ListArticlesQuery as PageQuery } from '../../articles/dto/article.dto.js';
