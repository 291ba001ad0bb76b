#!/usr/bin/env node
// The baseline of `GET /article/detail/:id/` in `npm run bench`: a bare Nest 12 app (Express,
// one controller, no database, no middleware) whose one route answers a fixed JSON object of
// the same size as the real answer. Run as its own process, like the API.
// Usage: node scripts/bench/bare-nest.mjs <port> <json file> [express|fastify]
// (Express is the historical baseline; the API itself runs on the Fastify adapter since issue 17,
// and the bench runs this bare route on Fastify too, the floor of a Nest route on it.)
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';

const [port, file, adapter = 'express'] = process.argv.slice(2);
const answer = JSON.parse(readFileSync(file, 'utf8'));

// Plain JS has no decorator syntax: apply Nest's decorators by hand.
class BareController {
  detail(id) {
    return { ...answer, id: Number(id) };
  }
}
Controller('article')(BareController);
Param('id')(BareController.prototype, 'detail', 0);
Get('detail/:id')(
  BareController.prototype,
  'detail',
  Object.getOwnPropertyDescriptor(BareController.prototype, 'detail'),
);

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

const app =
  adapter === 'fastify'
    ? await NestFactory.create(
        BareModule,
        new (await import('@nestjs/platform-fastify')).FastifyAdapter(),
        { logger: false },
      )
    : await NestFactory.create(BareModule, { logger: false });
await app.listen(Number(port), '127.0.0.1');
console.log(`bare Nest listening on 127.0.0.1:${port}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
