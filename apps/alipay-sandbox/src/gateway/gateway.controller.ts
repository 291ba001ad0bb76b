import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendReply } from '../common/http-reply.js';
import { GatewayService } from './gateway.service.js';
import { ResponseHolds } from './response-holds.service.js';

/**
 * Alipay's single entry point. GET carries everything in the query (pageExec 'GET'); POST
 * carries the public parameters in the query and biz_content in the form (alipay-sdk exec,
 * or pageExec's auto-submitting form).
 */
@Controller('gateway.do')
export class GatewayController {
  constructor(
    private readonly gateway: GatewayService,
    private readonly holds: ResponseHolds,
  ) {}

  @Get()
  get(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.answer(request, undefined, response);
  }

  @Post()
  post(@Req() request: Request, @Body() body: unknown, @Res() response: Response): Promise<void> {
    return this.answer(request, body, response);
  }

  private async answer(request: Request, body: unknown, response: Response): Promise<void> {
    const origin = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    const reply = this.gateway.handle(rawQueryOf(request), body, origin);
    if (reply.holdMs !== undefined) await this.holds.hold(response, reply.holdMs);
    sendReply(response, reply);
  }
}

/** The query string exactly as sent; Express's parsed `query` could turn values into arrays. */
function rawQueryOf(request: Request): string {
  const index = request.originalUrl.indexOf('?');
  return index === -1 ? '' : request.originalUrl.slice(index + 1);
}
