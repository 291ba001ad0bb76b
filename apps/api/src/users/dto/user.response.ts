import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the users routes; the mapping functions in user-responses.ts return them. */
export class RegisteredUserResponse {
  @ApiProperty({ example: 7 })
  id: number;

  @ApiProperty({ example: 'reader1' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: '读者一号' })
  nickname: string | null;
}

export class CurrentUserResponse {
  @ApiProperty({ example: 7 })
  id: number;

  @ApiProperty({ example: 'reader1' })
  username: string;

  @ApiProperty({ description: 'the nickname, or the username where none was given' })
  nickname: string;

  @ApiProperty({ type: String, nullable: true })
  avatar: string | null;

  @ApiProperty({ description: 'balance in yuan', example: '12.50' })
  money: string;

  @ApiProperty()
  is_staff: boolean;
}

export class LoginResponse {
  @ApiProperty({ description: 'JWT for the Authorization: Bearer header' })
  token: string;

  @ApiProperty({ type: () => CurrentUserResponse })
  user: CurrentUserResponse;
}

/** The author's payout account (提现账户), the logon id masked. */
export class PayoutAccountResponse {
  @ApiProperty({ example: '张三' })
  real_name: string;

  @ApiProperty({ description: 'masked Alipay logon id', example: 'a***@example.com' })
  alipay_account: string;

  @ApiProperty({ format: 'date-time' })
  updated_time: string;
}
