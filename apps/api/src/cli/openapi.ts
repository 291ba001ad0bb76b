import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfig } from '@renran/config';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppModule } from '../app.module.js';
import { openApiDocument } from '../openapi-document.js';

/**
 * Writes the API's OpenAPI document (default docs/openapi.json) without a database: Nest's
 * preview mode registers every module, controller and route but instantiates no provider, so
 * TypeORM never connects and nothing is read from the environment but development defaults.
 */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'docs/openapi.json');
  const config = loadConfig({ APP_ENV: 'development' });
  const app = await NestFactory.create(
    AppModule.forRoot(config, 'postgres://openapi@127.0.0.1:1/never-connected'),
    new FastifyAdapter(), // the API's adapter (create-app.ts)
    { preview: true, logger: false, abortOnError: false },
  );
  const document = openApiDocument(app);
  await app.close();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${target}`);
}

main().catch((error: unknown) => {
  console.error(
    `openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
