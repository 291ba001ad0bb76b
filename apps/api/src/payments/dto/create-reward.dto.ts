import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { parseYuanToFen } from '@renran/money';
import { PAY_CHANNELS, type PayChannel, PayType } from '../entities/reward.entity.js';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  Validate,
} from 'class-validator';

@ValidatorConstraint({ name: 'yuanAmount' })
class YuanAmountConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    try {
      parseYuanToFen(value);
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'money 须为大于 0、最多两位小数的金额（元），例如 5 或 "10.50"';
  }
}

export class CreateRewardDto {
  @ApiProperty({ example: 1 })
  @IsInt({ message: 'article_id 必须是整数' })
  @Min(1, { message: 'article_id 必须是正整数' })
  @Max(2_147_483_647, { message: 'article_id 过大' })
  article_id: number;

  @ApiProperty({ enum: [0, 1], description: '0 支付宝, 1 账户余额' })
  @IsIn([0, 1], { message: 'pay_type 只能是 0（支付宝）或 1（账户余额）' })
  pay_type: PayType;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }],
    example: '5.00',
    description: 'yuan, ≤ 2 decimals',
  })
  @Validate(YuanAmountConstraint)
  money: string | number;

  @ApiPropertyOptional({ maxLength: 200, example: '写得真好，支持一下！' })
  @IsOptional()
  @IsString({ message: 'message 必须是字符串' })
  @MaxLength(200, { message: 'message 不能超过 200 个字符' })
  message?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean({ message: 'anonymous 必须是布尔值' })
  anonymous?: boolean;

  @ApiPropertyOptional({
    enum: PAY_CHANNELS,
    default: 'page',
    description: 'pay_type 0 only: page 电脑网站支付, wap 手机网站支付, qr 当面付扫码',
  })
  @IsOptional()
  @IsIn(PAY_CHANNELS, { message: 'channel 只能是 page、wap 或 qr' })
  channel?: PayChannel;
}
