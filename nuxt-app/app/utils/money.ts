// The reward amount rules, the same as the API's (DESIGN.md "Money"): yuan with at most two
// decimals, from 0.01 to 10000. Checked in whole fen, never with float arithmetic.
export const REWARD_AMOUNTS = [2, 5, 10, 20, 50, 100] as const;
export const REWARD_MAX_FEN = 1_000_000;

const YUAN_PATTERN = /^(0|[1-9]\d{0,12})(?:\.(\d{1,2}))?$/;

export type AmountCheck = { ok: true; fen: number } | { ok: false; message: string };

export function checkRewardAmount(input: string): AmountCheck {
  const text = input.trim();
  if (text === '') return { ok: false, message: '请输入赞赏金额' };
  const match = YUAN_PATTERN.exec(text);
  if (!match) {
    return /^\d+\.\d{3,}$/.test(text)
      ? { ok: false, message: '金额最多保留两位小数' }
      : { ok: false, message: '请输入正确的金额，例如 5 或 8.88' };
  }
  const fen = Number(match[1] + (match[2] ?? '').padEnd(2, '0'));
  if (fen < 1 || fen > REWARD_MAX_FEN) {
    return { ok: false, message: '赞赏金额须在 0.01 到 10000 元之间' };
  }
  return { ok: true, fen };
}

/** 500 -> "5.00", what the API expects and answers. */
export function fenToYuan(fen: number): string {
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** 500 -> "5", 550 -> "5.50": the amount on the 确认支付 button. */
export function fenToLabel(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : fenToYuan(fen);
}
