import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { JWT_SCHEME } from './common/openapi/api-docs.decorators.js';

/** The OpenAPI document of the API: served at /docs and written to docs/openapi.json. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Renran Reward API')
      .setDescription('荏苒资讯 article tipping: articles, rewards, Alipay page pay, admin.')
      .setVersion('1')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'the token from POST /users/login',
        },
        JWT_SCHEME,
      )
      .build(),
  );
}
