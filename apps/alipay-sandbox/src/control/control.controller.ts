import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ControlService } from './control.service.js';

/** JSON control API for tests and scripts; nothing here exists at the real Alipay. */
@Controller('sandbox')
export class ControlController {
  constructor(private readonly control: ControlService) {}

  @Get()
  info() {
    return this.control.info();
  }

  @Get('trades')
  listTrades() {
    return this.control.listTrades();
  }

  @Get('trades/:outTradeNo')
  getTrade(@Param('outTradeNo') outTradeNo: string) {
    return this.control.getTrade(outTradeNo);
  }

  @Post('trades/:outTradeNo/pay')
  @HttpCode(HttpStatus.OK)
  pay(@Param('outTradeNo') outTradeNo: string) {
    return this.control.pay(outTradeNo);
  }

  /** The last verified gateway.do requests, optionally of one out_trade_no. */
  @Get('requests')
  requests(@Query('out_trade_no') outTradeNo: unknown) {
    return this.control.requestsOf(typeof outTradeNo === 'string' ? outTradeNo : undefined);
  }

  @Get('notifications')
  notifications(@Query('out_trade_no') outTradeNo: unknown) {
    return this.control.notificationsOf(typeof outTradeNo === 'string' ? outTradeNo : undefined);
  }

  @Post('notifications/flush')
  @HttpCode(HttpStatus.OK)
  flush() {
    return this.control.flushNotifications();
  }

  @Get('faults')
  getFaults() {
    return this.control.getFaults();
  }

  @Post('faults')
  @HttpCode(HttpStatus.OK)
  setFaults(@Body() body: unknown) {
    return this.control.setFaults(body);
  }

  @Delete('faults')
  resetFaults() {
    return this.control.resetFaults();
  }

  /** The Alipay accounts transfers can pay (logon id + real name). */
  @Get('payees')
  payees() {
    return this.control.payees();
  }

  /** Adds an account (or changes the name on one): {logon_id, name}. */
  @Post('payees')
  @HttpCode(HttpStatus.OK)
  putPayee(@Body() body: unknown) {
    return this.control.putPayee(body);
  }

  @Get('transfers')
  transfers() {
    return this.control.transfers();
  }

  /** The merchant's Alipay balance, which transfers are paid from. */
  @Get('merchant')
  merchant() {
    return this.control.merchant();
  }

  /** Sets the balance: {balance: "100.00"}. */
  @Post('merchant')
  @HttpCode(HttpStatus.OK)
  setMerchant(@Body() body: unknown) {
    return this.control.setMerchant(body);
  }

  @Post('reset')
  @HttpCode(HttpStatus.OK)
  reset() {
    return this.control.reset();
  }
}
