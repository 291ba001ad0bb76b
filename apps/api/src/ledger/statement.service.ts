import { Injectable } from '@nestjs/common';
import { fenFromDatabase, formatFen } from '@renran/money';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { boundedTotal, COUNT_CAP } from '../common/bounded-count.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import type { StatementItemResponse, StatementPageResponse } from './dto/statement.response.js';

/** What a statement line is, from the user's side (the site shows each in Chinese). */
export type StatementKind =
  | 'tip_received'
  | 'tip_given'
  | 'refund_debit'
  | 'refund_credit'
  | 'refund_reversal'
  | 'grant'
  | 'withdrawal'
  | 'withdrawal_reversal';

/** The CSV's names of the kinds, for a spreadsheet read by people. */
export const STATEMENT_KIND_NAMES: Record<StatementKind, string> = {
  tip_received: '收到赞赏',
  tip_given: '余额赞赏',
  refund_debit: '赞赏退款',
  refund_credit: '退款到账',
  refund_reversal: '退款失败退回',
  grant: '平台发放',
  withdrawal: '提现',
  withdrawal_reversal: '提现退回',
};

interface EntryRow {
  id: string;
  created_time: Date;
  kind: string;
  amount: string;
  balance_after: string | null;
  refund_id: number | null;
  withdrawal_id: number | null;
  trade_no: string | null;
}

/** Largest CSV export: ten years of a busy author's movements; more is cut (newest kept). */
export const STATEMENT_CSV_MAX_ROWS = 100_000;

/**
 * A user's statement: every movement of that user's balance, newest first, read from the
 * user's own ledger legs through the (user_id, id) index, with the balance each one left.
 */
@Injectable()
export class StatementService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One page, by number (an OFFSET) or after `cursor` (the id of the last entry shown: an index
   * range however deep). The total is counted up to COUNT_CAP, as the wallet's lists are.
   */
  async page(
    userId: number,
    paging: { page: number; page_size: number; cursor?: string },
  ): Promise<StatementPageResponse> {
    const [beforeId] = paging.cursor ? decodeCursor(paging.cursor, 1) : [];
    const [rows, [{ counted }]] = await Promise.all([
      this.entries(userId, paging.page_size + 1, {
        beforeId,
        offset: beforeId === undefined ? (paging.page - 1) * paging.page_size : 0,
      }),
      this.dataSource.query<{ counted: number }[]>(
        `SELECT count(*)::int AS counted
           FROM (SELECT 1 FROM ledger_entries WHERE user_id = $1 LIMIT $2) AS capped`,
        [userId, COUNT_CAP + 1],
      ),
    ]);
    const items = rows.slice(0, paging.page_size).map(toItem);
    return {
      items,
      ...boundedTotal(counted),
      next_cursor: rows.length > paging.page_size ? encodeCursor([items.at(-1)!.id]) : null,
    };
  }

  /** The whole statement as CSV: UTF-8 with a BOM, so that Excel opens the Chinese. */
  async csv(userId: number): Promise<string> {
    const rows = await this.entries(userId, STATEMENT_CSV_MAX_ROWS, { offset: 0 });
    const records = rows
      .map(toItem)
      .map((item) => [
        item.id,
        item.time,
        STATEMENT_KIND_NAMES[item.kind as StatementKind] ?? item.kind,
        item.amount,
        item.balance_after ?? '',
        item.ref.trade_no ?? (item.ref.withdrawal_id ? `提现 #${item.ref.withdrawal_id}` : ''),
      ]);
    return (
      '\uFEFF' +
      stringify(records, {
        header: true,
        columns: ['编号', '时间', '类型', '金额（元）', '余额（元）', '关联'],
        record_delimiter: 'windows',
      })
    );
  }

  private entries(
    userId: number,
    limit: number,
    from: { beforeId?: number; offset: number },
  ): Promise<EntryRow[]> {
    // Only user legs carry a user_id (a CHECK says so): the index alone finds them in order.
    return this.dataSource.query<EntryRow[]>(
      `SELECT e.id, e.created_time, e.kind, e.amount, e.balance_after, e.refund_id,
              e.withdrawal_id, r.trade_no
         FROM ledger_entries e
         LEFT JOIN rewards r ON r.id = e.reward_id
        WHERE e.user_id = $1 AND ($4::bigint IS NULL OR e.id < $4)
        ORDER BY e.id DESC
        LIMIT $2 OFFSET $3`,
      [userId, limit, from.offset, from.beforeId ?? null],
    );
  }
}

function toItem(row: EntryRow): StatementItemResponse {
  const amount = fenFromDatabase(row.amount);
  const ref: StatementItemResponse['ref'] = {};
  if (row.trade_no !== null) ref.trade_no = row.trade_no;
  if (row.refund_id !== null) ref.refund_id = row.refund_id;
  if (row.withdrawal_id !== null) ref.withdrawal_id = row.withdrawal_id;
  return {
    id: Number(row.id),
    time: row.created_time.toISOString(),
    kind: kindOf(row.kind, amount),
    amount: `${amount > 0 ? '+' : ''}${formatFen(amount)}`,
    balance_after:
      row.balance_after === null ? null : formatFen(fenFromDatabase(row.balance_after)),
    ref,
  };
}

/** The ledger's kind is the business event; the sign says which side of it this user was. */
function kindOf(ledgerKind: string, amount: number): string {
  const credit = amount > 0;
  if (ledgerKind === 'reward') return credit ? 'tip_received' : 'tip_given';
  if (ledgerKind === 'refund') return credit ? 'refund_credit' : 'refund_debit';
  // refund_reversal, grant, withdrawal, withdrawal_reversal: one side only, named as booked.
  return ledgerKind;
}
