import { formatFen } from '@renran/money';
import { maskLogonId } from '../../users/dto/payout-account.dto.js';
import type { WithdrawalEntity } from '../entities/withdrawal.entity.js';
import type { StaffWithdrawalResponse, WithdrawalResponse } from './withdrawal.response.js';

/** A withdrawal as its author sees it: the payee masked, as on the payout account. */
export function toWithdrawal(withdrawal: WithdrawalEntity): WithdrawalResponse {
  return {
    id: withdrawal.id,
    amount: formatFen(withdrawal.amount),
    status: withdrawal.status,
    created_time: withdrawal.createdTime.toISOString(),
    finished_time: withdrawal.finishedTime?.toISOString() ?? null,
    payee: {
      real_name: withdrawal.payeeName,
      alipay_account: maskLogonId(withdrawal.payeeAccount),
    },
    reject_reason: withdrawal.rejectReason,
    failure_reason: withdrawal.failureReason,
  };
}

/** Staff review the whole payee (they check it) and who asked. */
export function toStaffWithdrawal(withdrawal: WithdrawalEntity): StaffWithdrawalResponse {
  return {
    ...toWithdrawal(withdrawal),
    user_id: withdrawal.userId,
    payee: { real_name: withdrawal.payeeName, alipay_account: withdrawal.payeeAccount },
    out_biz_no: withdrawal.outBizNo,
    platform_order_id: withdrawal.platformOrderId,
    reviewed_by: withdrawal.reviewedBy,
    next_check_at: withdrawal.nextCheckAt?.toISOString() ?? null,
  };
}
