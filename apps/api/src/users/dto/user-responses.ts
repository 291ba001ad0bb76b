import { formatFen } from '@renran/money';
import type { PayoutAccountEntity } from '../entities/payout-account.entity.js';
import type { UserEntity } from '../entities/user.entity.js';
import type {
  CurrentUserResponse,
  PayoutAccountResponse,
  RegisteredUserResponse,
} from './user.response.js';
import { maskLogonId } from './payout-account.dto.js';

/** Public JSON shapes for users; snake_case and money in yuan strings, as in the contract. */
export function toRegisteredUser(user: UserEntity): RegisteredUserResponse {
  return { id: user.id, username: user.username, nickname: user.nickname };
}

export function toCurrentUser(user: UserEntity): CurrentUserResponse {
  return {
    id: user.id,
    username: user.username,
    nickname: displayName(user),
    avatar: user.avatar,
    money: formatFen(user.money),
    is_staff: user.isStaff,
  };
}

/** The original falls back to the username where no nickname was given. */
export function displayName(user: Pick<UserEntity, 'nickname' | 'username'>): string {
  return user.nickname ?? user.username;
}

export function toPayoutAccount(account: PayoutAccountEntity): PayoutAccountResponse {
  return {
    real_name: account.realName,
    alipay_account: maskLogonId(account.alipayAccount),
    updated_time: account.updatedTime.toISOString(),
  };
}
