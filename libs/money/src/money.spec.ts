import { fenFromDatabase, formatFen, InvalidMoneyError, parseYuanToFen } from './money.js';

const REWARD_MAX_FEN = 1_000_000; // 10000.00 yuan

describe('parseYuanToFen', () => {
  it.each([
    ['0.01', 1],
    ['10', 1000],
    ['10.5', 1050],
    ['10.50', 1050],
    [10, 1000],
    [10.5, 1050],
    [0.1, 10],
    [19.99, 1999],
    [' 2 ', 200],
    ['10000', 1_000_000],
    ['10000.00', 1_000_000],
  ])('accepts %p as %p fen', (input, fen) => {
    expect(parseYuanToFen(input, REWARD_MAX_FEN)).toBe(fen);
  });

  it.each([
    [0],
    ['0'],
    ['0.00'],
    ['-1'],
    [-1],
    ['1.001'],
    [1.001],
    ['1e3'],
    [1e21],
    [1e-7],
    ['abc'],
    [''],
    [null],
    [undefined],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['10000.01'],
    [10000.01],
    ['01'],
    ['1.'],
    ['.5'],
    ['0x10'],
    [true],
    [{}],
    [[10]],
  ])('rejects %p', (input) => {
    expect(() => parseYuanToFen(input, REWARD_MAX_FEN)).toThrow(InvalidMoneyError);
  });
});

describe('InvalidMoneyError.reason', () => {
  it.each([
    [null, 'type'],
    ['1.001', 'format'],
    ['1e3', 'format'],
    ['-1', 'format'],
    ['0.00', 'not_positive'],
    ['10000.01', 'too_large'],
  ])('says why %p was refused: %s', (input, reason) => {
    expect(() => parseYuanToFen(input, REWARD_MAX_FEN)).toThrow(
      expect.objectContaining({ reason }) as Error,
    );
  });
});

describe('formatFen', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [1050, '10.50'],
    [1_000_000, '10000.00'],
    [-5, '-0.05'],
    [-1234, '-12.34'],
  ])('formats %p fen as %p', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('refuses a fractional amount instead of rounding it', () => {
    expect(() => formatFen(10.5)).toThrow(InvalidMoneyError);
  });

  it('round-trips every two-decimal amount it formats', () => {
    for (let fen = 1; fen <= 5000; fen += 7) {
      expect(parseYuanToFen(formatFen(fen))).toBe(fen);
    }
  });
});

describe('fenFromDatabase', () => {
  it('reads bigint strings as integers and refuses unsafe ones', () => {
    expect(fenFromDatabase('20000')).toBe(20000);
    expect(fenFromDatabase(7)).toBe(7);
    expect(() => fenFromDatabase('9007199254740993')).toThrow(InvalidMoneyError);
    expect(() => fenFromDatabase(null)).toThrow(InvalidMoneyError);
  });
});
