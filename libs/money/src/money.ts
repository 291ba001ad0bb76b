/**
 * Money is integer fen (分) everywhere in code and in `bigint` columns. Yuan only exists at the
 * edges: parsed from requests, formatted for responses and for Alipay's `total_amount`.
 * Conversion goes through strings so that no float arithmetic ever touches an amount.
 */

/** Upper bound on a stored amount in fen; above it a `bigint` read as a JS number loses precision. */
export const MAX_SAFE_FEN = Number.MAX_SAFE_INTEGER;

const YUAN_PATTERN = /^(0|[1-9]\d{0,12})(?:\.(\d{1,2}))?$/;

/**
 * Why an amount was refused, for callers that word their own message (the site's form):
 * not a number or string, not yuan with at most two decimals, zero or less, above the maximum.
 */
export type InvalidMoneyReason = 'type' | 'format' | 'not_positive' | 'too_large' | 'other';

export class InvalidMoneyError extends Error {
  constructor(
    message: string,
    readonly reason: InvalidMoneyReason = 'other',
  ) {
    super(message);
    this.name = 'InvalidMoneyError';
  }
}

/**
 * Parses a yuan amount given as a JSON string or number ("10", "10.5", 10.5) into fen.
 * Refuses zero, negatives, more than two decimals, exponents, NaN, text and anything above
 * `maxFen`, rather than rounding.
 */
export function parseYuanToFen(input: unknown, maxFen: number = MAX_SAFE_FEN): number {
  let text: string;
  if (typeof input === 'string') {
    text = input.trim();
  } else if (typeof input === 'number' && Number.isFinite(input)) {
    // String(10.5) is "10.5"; an exponent form such as 1e21 or 1e-7 fails the pattern below.
    text = String(input);
  } else {
    throw new InvalidMoneyError('金额必须是数字或字符串，单位为元', 'type');
  }
  const match = YUAN_PATTERN.exec(text);
  if (!match) {
    throw new InvalidMoneyError(
      '金额格式不正确：应为最多两位小数的正数，例如 10 或 10.50',
      'format',
    );
  }
  const [, whole, fraction = ''] = match;
  const fen = Number(whole + fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen) || fen <= 0) {
    throw new InvalidMoneyError('金额必须大于 0', 'not_positive');
  }
  if (fen > maxFen) {
    throw new InvalidMoneyError(`金额不能超过 ${formatFen(maxFen)} 元`, 'too_large');
  }
  return fen;
}

/** Formats fen as yuan with exactly two decimals: 1050 -> "10.50", -5 -> "-0.05". */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) {
    throw new InvalidMoneyError(`not an integer amount of fen: ${fen}`);
  }
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Reads a `bigint` column value (node-postgres returns it as a string) as a safe integer,
 * refusing what a JS number cannot represent exactly.
 */
export function fenFromDatabase(value: string | number | bigint | null): number {
  if (value === null) {
    throw new InvalidMoneyError('amount is null');
  }
  const fen = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(fen)) {
    throw new InvalidMoneyError(`amount out of the safe integer range: ${String(value)}`);
  }
  return fen;
}

/** parseYuanToFen for amounts we only compare (Alipay's fields): null instead of throwing. */
export function fenOrNull(input: unknown): number | null {
  try {
    return parseYuanToFen(input);
  } catch (error) {
    if (error instanceof InvalidMoneyError) return null;
    throw error;
  }
}
