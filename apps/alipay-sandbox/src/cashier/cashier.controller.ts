import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { sendReply } from '../common/http-reply.js';
import { CashierService } from './cashier.service.js';

/** The pages a buyer's browser reaches from the cashier opened by gateway.do (page and wap). */
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

/** The pages a phone opens after scanning a precreate code: /qr/<token>, like qr.alipay.com. */
@Controller('qr')
export class ScanController {
  constructor(private readonly cashier: CashierService) {}

  @Get(':token')
  show(@Param('token') token: string, @Res() response: Response): void {
    sendReply(response, this.cashier.showScan(token));
  }

  @Post(':token/pay')
  pay(@Param('token') token: string, @Res() response: Response): void {
    sendReply(response, this.cashier.payScan(token));
  }
}
