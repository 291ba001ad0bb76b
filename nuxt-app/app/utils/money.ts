import { formatFen, InvalidMoneyError, parseYuanToFen } from '@renran/money';

// The reward amount rules are the API's own (libs/money's parser, the bounds from
// GET /payments/limits); this file only words the answer for the form, in whole fen.
export const REWARD_AMOUNTS = [2, 5, 10, 20, 50, 100] as const;

export type AmountCheck = { ok: true; fen: number } | { ok: false; message: string };

/** The tip bounds in fen, from the API's limits; until they arrive only the format is checked. */
export interface RewardRange {
  minFen: number;
  maxFen: number;
}

/** The bounds GET /payments/limits gave, in fen; null when the answer is missing or unreadable. */
export function rewardRangeOf(
  limits: { reward_min: string; reward_max: string } | null | undefined,
): RewardRange | null {
  if (!limits) return null;
  try {
    return { minFen: parseYuanToFen(limits.reward_min), maxFen: parseYuanToFen(limits.reward_max) };
  } catch {
    return null;
  }
}

export function checkRewardAmount(input: string, range: RewardRange | null): AmountCheck {
  const text = input.trim();
  if (text === '') return { ok: false, message: '请输入赞赏金额' };
  const outOfRange = (): AmountCheck => ({
    ok: false,
    message: range
      ? `赞赏金额须在 ${fenToLabel(range.minFen)} 到 ${fenToLabel(range.maxFen)} 元之间`
      : '赞赏金额须大于 0',
  });
  let fen: number;
  try {
    fen = parseYuanToFen(text);
  } catch (error) {
    if (!(error instanceof InvalidMoneyError)) throw error;
    if (error.reason === 'not_positive' || error.reason === 'too_large') return outOfRange();
    return /^\d+\.\d{3,}$/.test(text)
      ? { ok: false, message: '金额最多保留两位小数' }
      : { ok: false, message: '请输入正确的金额，例如 5 或 8.88' };
  }
  if (range && (fen < range.minFen || fen > range.maxFen)) return outOfRange();
  return { ok: true, fen };
}

/** 500 -> "5.00", what the API expects and answers. */
export const fenToYuan = formatFen;

/** 500 -> "5", 550 -> "5.50": the amount on the 确认支付 button. */
export function fenToLabel(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : formatFen(fen);
}

/**
 * The 提现 amount, in the words of the API's answers: at least `minFen` (WITHDRAW_MIN, from
 * GET /payments/limits; null while unknown). The balance is the API's to judge (409 余额不足):
 * the page's copy may be older than a tip that has just arrived.
 */
export function checkWithdrawAmount(input: string, minFen: number | null): AmountCheck {
  const text = input.trim();
  if (text === '') return { ok: false, message: '请输入提现金额' };
  let fen: number;
  try {
    fen = parseYuanToFen(text);
  } catch (error) {
    if (!(error instanceof InvalidMoneyError)) throw error;
    if (error.reason === 'not_positive') return { ok: false, message: '提现金额须大于 0' };
    return { ok: false, message: '请输入提现金额，最多两位小数，例如 100 或 88.50' };
  }
  if (minFen !== null && fen < minFen) {
    return { ok: false, message: `提现金额不能低于 ${formatFen(minFen)} 元` };
  }
  return { ok: true, fen };
}
