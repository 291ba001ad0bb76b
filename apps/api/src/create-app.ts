import { type INestApplication, ValidationPipe, BadRequestException } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@renran/config';
import type { ValidationError } from 'class-validator';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { requestIdOf } from './common/request-id.js';
import { openApiDocument } from './openapi-document.js';

/**
 * Builds the API exactly as it runs in production; `main.ts` and the e2e tests both use it,
 * so tests exercise the same pipes, filters, limits and headers.
 *
 * It runs on Nest's Fastify adapter: a bare Nest route answers ~3 × as many requests on it as
 * on Express (docs/BENCHMARKS.md, "The API's floor and the Fastify adapter"). Fastify sends no
 * ETag and no X-Powered-By, so neither needs turning off.
 */
export async function createApiApp(
  config: AppConfig,
  databaseUrl: string,
): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    // The same syntax and meaning as Express's `trust proxy` (both compile it with proxy-addr).
    trustProxy: config.trustProxy,
    bodyLimit: toBytes(config.bodyLimit),
    // One id per request for Fastify, the request log (pino-http reuses `raw.id`), the error
    // filter's `request_id` and the X-Request-Id answer.
    genReqId: requestIdOf,
    // Express's routing: `/article/` and `/article` are one route (the site and Alipay's
    // return URLs use the trailing slash), and paths match in any case.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false },
  });
  // Before NestFactory.create, whose init registers the middleware runner (and so the request
  // logger) as a later hook.
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    (request.raw as IncomingMessage & { id?: string }).id = request.id;
    void reply.header('X-Request-Id', request.id);
    done();
  });
  // Helmet's headers, built once (@fastify/helmet builds its middleware again for every
  // request), on every answer including CORS preflights, as Express's `app.use(helmet())` did.
  const securityHeaders = helmet();
  adapter.getInstance().addHook('onSend', (request, reply, payload, done) => {
    securityHeaders(request.raw, reply.raw, () => done(null, payload));
  });
  // Articles get their own, larger limit (the site allows them 256 kB as well). A route's own
  // bodyLimit overrides the parsers' one; this hook sees every route before it is built.
  const articleBodyLimit = toBytes(config.articleBodyLimit);
  adapter.getInstance().addHook('onRoute', (route) => {
    if (route.url === '/article' || route.url.startsWith('/article/')) {
      route.bodyLimit = articleBodyLimit;
    }
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl),
    adapter,
    // The adapter's own JSON and form parsers: the form one (Alipay's notifications) leaves
    // every value the string that was sent, as the signature check needs.
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    // Express's cors default; @fastify/cors's own is GET,HEAD,POST only.
    methods: 'GET,HEAD,PUT,PATCH,POST,DELETE',
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(flattenValidationErrors(errors)),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(app.get(HttpAdapterHost)));

  SwaggerModule.setup('docs', app, openApiDocument(app));
  return app;
}

/** "100kb" → 102400, as Express's body parsers read BODY_LIMIT (the config allows b, kb, mb). */
export function toBytes(size: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(size);
  if (!match) throw new Error(`not a size: ${size}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[match[2].toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
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
