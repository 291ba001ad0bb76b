import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { sendReply } from '../common/http-reply.js';
import { CashierService } from './cashier.service.js';

/** The pages a buyer's browser reaches from the cashier opened by gateway.do. */
@Controller('cashier')
export class CashierController {
  constructor(private readonly cashier: CashierService) {}

  @Get(':outTradeNo')
  show(@Param('outTradeNo') outTradeNo: string, @Res() response: Response): void {
    sendReply(response, this.cashier.show(outTradeNo));
  }

  @Post(':outTradeNo/pay')
  pay(@Param('outTradeNo') outTradeNo: string, @Res() response: Response): void {
    sendReply(response, this.cashier.pay(outTradeNo));
  }

  @Get(':outTradeNo/cancel')
  cancel(@Param('outTradeNo') outTradeNo: string, @Res() response: Response): void {
    sendReply(response, this.cashier.cancel(outTradeNo));
  }
}
