import { Injectable } from '@nestjs/common';
import { fenFromDatabase, formatFen } from '@renran/money';
import { DataSource } from 'typeorm';

export interface LedgerMismatch {
  kind: 'balance' | 'movement' | 'total';
  subject: string;
  expected: string;
  actual: string;
}

export interface LedgerVerification {
  ok: boolean;
  users_checked: number;
  movements_checked: number;
  total_user_balances: string;
  external_net_in: string;
  mismatches: LedgerMismatch[];
}

/**
 * Proves the books: every user's balance equals the sum of that user's entries, every
 * movement's legs sum to zero, and all balances together equal what came in from the
 * external accounts (alipay, grants) minus what went back out.
 */
@Injectable()
export class LedgerVerificationService {
  constructor(private readonly dataSource: DataSource) {}

  async verify(): Promise<LedgerVerification> {
    // One snapshot, so concurrent payments cannot make a consistent ledger look broken.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const balances: { id: number; money: string; entries: string }[] = await manager.query(
        `SELECT u.id, u.money, COALESCE(e.total, 0) AS entries
           FROM users u
           LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM ledger_entries
                       WHERE account = 'user' GROUP BY user_id) e ON e.user_id = u.id`,
      );
      const unbalanced: { movement: string; total: string }[] = await manager.query(
        `SELECT movement, SUM(amount) AS total FROM ledger_entries
          GROUP BY movement HAVING SUM(amount) <> 0`,
      );
      const [totals] = await manager.query<
        { balances: string; external_in: string; movements: string }[]
      >(
        `SELECT (SELECT COALESCE(SUM(money), 0) FROM users) AS balances,
                (SELECT COALESCE(-SUM(amount), 0) FROM ledger_entries WHERE account <> 'user') AS external_in,
                (SELECT COUNT(DISTINCT movement) FROM ledger_entries) AS movements`,
      );

      const mismatches: LedgerMismatch[] = [];
      for (const row of balances) {
        if (BigInt(row.money) !== BigInt(row.entries)) {
          mismatches.push({
            kind: 'balance',
            subject: `user:${row.id}`,
            expected: formatFen(fenFromDatabase(row.entries)),
            actual: formatFen(fenFromDatabase(row.money)),
          });
        }
      }
      for (const row of unbalanced) {
        mismatches.push({
          kind: 'movement',
          subject: row.movement,
          expected: '0.00',
          actual: formatFen(fenFromDatabase(row.total)),
        });
      }
      if (BigInt(totals.balances) !== BigInt(totals.external_in)) {
        mismatches.push({
          kind: 'total',
          subject: 'all user balances',
          expected: formatFen(Number(totals.external_in)),
          actual: formatFen(Number(totals.balances)),
        });
      }
      return {
        ok: mismatches.length === 0,
        users_checked: balances.length,
        movements_checked: Number(totals.movements),
        total_user_balances: formatFen(Number(totals.balances)),
        external_net_in: formatFen(Number(totals.external_in)),
        mismatches,
      };
    });
  }
}
