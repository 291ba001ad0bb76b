import { type INestApplication, ValidationPipe, BadRequestException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@renran/config';
import type { ValidationError } from 'class-validator';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { openApiDocument } from './openapi-document.js';

/**
 * Builds the API exactly as it runs in production; `main.ts` and the e2e tests both use it,
 * so tests exercise the same pipes, filters, limits and headers.
 */
export async function createApiApp(
  config: AppConfig,
  databaseUrl: string,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl),
    { bodyParser: false, bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag. Our JSON changes with each read, and the
  // site neither sends If-None-Match nor passes ETags on to browsers: the hash is pure cost.
  app.set('etag', false);
  app.use(helmet());
  // Articles get their own, larger limit (the site allows them 256 kB as well); a body parsed
  // here is not parsed again by the general parser below.
  app.use('/article', express.json({ limit: config.articleBodyLimit }));
  app.use(express.json({ limit: config.bodyLimit }));
  // Alipay's notifications are form-encoded; `extended: false` keeps every value a string.
  app.use(express.urlencoded({ limit: config.bodyLimit, extended: false }));
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(flattenValidationErrors(errors)),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());

  SwaggerModule.setup('docs', app, openApiDocument(app));
  return app;
}

/** One readable line per problem, e.g. "money 金额格式不正确" or "property foo should not exist". */
function flattenValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.includes(error.property) ? message : `${path} ${message}`,
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
