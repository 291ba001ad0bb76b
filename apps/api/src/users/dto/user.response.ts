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
