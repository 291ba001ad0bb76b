import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';

/** A path trade_no that cannot be one of ours is simply not found. */
@Injectable()
export class TradeNoPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(value)) throw new NotFoundException('订单不存在');
    return value;
  }
}
