// Names the wallet shows for ledger movements and withdrawal statuses.
import type { WithdrawalStatus } from '#shared/types/api';

/** The kinds of ledger movement the API names today (the CSV uses the same names). */
export const STATEMENT_KIND_TEXT = {
  tip_received: '收到赞赏',
  tip_given: '余额赞赏',
  refund_debit: '赞赏退款',
  refund_credit: '退款到账',
  refund_reversal: '退款失败退回',
  grant: '平台发放',
  withdrawal: '提现',
  withdrawal_reversal: '提现退回',
} as const satisfies Record<string, string>;

export type StatementKind = keyof typeof STATEMENT_KIND_TEXT;

export function statementKindText(kind: string): string {
  return Object.hasOwn(STATEMENT_KIND_TEXT, kind)
    ? STATEMENT_KIND_TEXT[kind as StatementKind]
    : kind;
}

export const WITHDRAWAL_STATUS_TEXT: Record<WithdrawalStatus, string> = {
  0: '待审核',
  1: '处理中',
  2: '已到账',
  3: '失败，已退回余额',
  4: '已驳回，已退回余额',
};
