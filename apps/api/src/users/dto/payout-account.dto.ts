import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** A mainland mobile number (Alipay's usual logon id). */
export const PHONE_LOGON_ID = /^1[3-9]\d{9}$/;
/** An e-mail logon id: one @, a dotted domain, no spaces; Alipay's own limit is 100. */
export const EMAIL_LOGON_ID =
  /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
/**
 * The real name on the Alipay account: Chinese (with the · of names such as 买买提·吐尔逊) or
 * Latin letters with spaces, dots, apostrophes and hyphens.
 */
const REAL_NAME =
  /^(?:[\p{Script=Han}]+(?:[·•][\p{Script=Han}]+)*|[A-Za-z]+(?:[ .'-]+[A-Za-z]+)*)$/u;

export class PutPayoutAccountDto {
  @ApiProperty({ example: '张荏苒', description: 'the real name on the Alipay account' })
  @IsString({ message: 'real_name 必须是字符串' })
  @Length(2, 40, { message: 'real_name 长度须为 2–40 个字符' })
  @Matches(REAL_NAME, { message: 'real_name 须为支付宝账户的真实姓名（汉字或英文字母）' })
  real_name: string;

  @ApiProperty({ example: 'author@example.com', description: 'Alipay logon id: phone or e-mail' })
  @IsString({ message: 'alipay_account 必须是字符串' })
  @Length(5, 100, { message: 'alipay_account 须为手机号或邮箱' })
  @Matches(new RegExp(`${PHONE_LOGON_ID.source}|${EMAIL_LOGON_ID.source}`), {
    message: 'alipay_account 须为支付宝登录名：11 位手机号或邮箱',
  })
  alipay_account: string;

  @ApiProperty({ description: 'the current password: this decides where money goes' })
  @IsString({ message: 'password 必须是字符串' })
  @Length(1, 128, { message: 'password 为当前登录密码' })
  password: string;
}

/** 13800138000 -> 138****8000; author@example.com -> a***@example.com. */
export function maskLogonId(logonId: string): string {
  if (PHONE_LOGON_ID.test(logonId)) return `${logonId.slice(0, 3)}****${logonId.slice(-4)}`;
  const at = logonId.lastIndexOf('@');
  return `${logonId.slice(0, 1)}***${logonId.slice(at)}`;
}
