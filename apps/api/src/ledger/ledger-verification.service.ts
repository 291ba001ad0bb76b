import { Injectable } from '@nestjs/common';
import { fenFromDatabase, formatFen } from '@renran/money';
import { DataSource } from 'typeorm';

export const LEDGER_MISMATCH_KINDS = [
  /** A user's balance differs from the sum of that user's entries. */
  'balance',
  /** A movement's legs do not sum to zero. */
  'movement',
  /** All balances differ from what came in from outside minus what went back out. */
  'total',
  /** A paid or refunded order has no settlement movement. */
  'order_unsettled',
  /** A paid or refunded order has more than one settlement movement. */
  'order_double_settled',
  /** An order that was never paid (pending, cancelled, expired) has a settlement movement. */
  'order_settled_unpaid',
  /** An order's one settlement movement moved another amount than the order's. */
  'order_settlement_amount',
  /** A refunded order's tip was not reversed: no refund movement stands (net of reversals). */
  'refund_unreversed',
  /** A refunded order's tip was reversed more than once. */
  'refund_double_reversed',
  /** A refunded order's one reversing movement moved another amount than the order's. */
  'refund_amount',
  /** An order not refunded holds refund reserves other than its pending refund's one. */
  'refund_reserve_mismatch',
  /** A withdrawal without its reserve movement (money left without leaving the balance). */
  'withdrawal_unreserved',
  /** A withdrawal reserved more than once. */
  'withdrawal_double_reserved',
  /** A withdrawal whose reserve moved another amount than the withdrawal's. */
  'withdrawal_reserve_amount',
  /** A failed or rejected withdrawal whose reserve was not given back exactly once. */
  'withdrawal_unreversed',
  /** A withdrawal still pending, processing or succeeded whose reserve was given back. */
  'withdrawal_wrongly_reversed',
  /** A movement points at nothing: no reference, legs that disagree, or a missing row. */
  'orphan_movement',
  /** Alipay refunded an order outside the system and our books could not follow. */
  'external_refund_unbooked',
] as const;
export type LedgerMismatchKind = (typeof LEDGER_MISMATCH_KINDS)[number];

export interface LedgerMismatch {
  kind: LedgerMismatchKind;
  subject: string;
  expected: string;
  actual: string;
}

export interface LedgerVerification {
  ok: boolean;
  users_checked: number;
  movements_checked: number;
  orders_checked: number;
  total_user_balances: string;
  external_net_in: string;
  /** Every mismatch found; at most MISMATCHES_LISTED of them are in `mismatches`. */
  mismatch_total: number;
  mismatches: LedgerMismatch[];
}

export const MISMATCHES_LISTED = 100;

/** Movements of these kinds stand for themselves (demo or admin credit): no reference. */
const UNREFERENCED_KINDS = ['grant'];
/** The kind of the movement that gives a failed refund's reserve back to the author. */
const REFUND_REVERSAL_KIND = 'refund_reversal';
/**
 * Withdrawals (DESIGN.md, "Author income") whose reserve was given back: 3 failed, 4 rejected.
 * A reserve takes the amount from the user (its user leg is negative), a reversal gives it
 * back (positive).
 */
const WITHDRAWAL_REVERSED_STATUSES = [3, 4];

interface FoundRow {
  kind: LedgerMismatchKind;
  subject: string;
  /** `amount`: expected/actual are fen; `count` and `text` are shown as they are. */
  measure: 'amount' | 'count' | 'text';
  expected: string;
  actual: string;
}

interface VerificationRow {
  users_checked: string;
  movements_checked: string;
  orders_checked: string;
  total_user_balances: string;
  external_net_in: string;
  mismatch_total: string;
  listed: FoundRow[];
}

/**
 * The whole verification, set-based, in one statement: the ledger is read once into one row
 * per movement (its class, amount and references, and whether its legs agree on them), and
 * every rule is a query over those rows, the users and the orders. References are the typed
 * columns; movement strings are only names here.
 */
const VERIFY_SQL = `
WITH movements AS MATERIALIZED (
  SELECT movement,
         bool_or(kind = $2) AS reversal,
         bool_or(kind = ANY ($1::text[])) AS unreferenced_kind,
         SUM(amount) AS net,
         -- Every movement moves one amount from one account to another: its largest leg.
         -- (Only the zero-sum check needs a SUM; fewer sums keep a large ledger in memory.)
         max(amount) AS amount,
         min(amount) FILTER (WHERE account = 'user') AS user_low,
         min(reward_id) AS reward_id, min(refund_id) AS refund_id, min(withdrawal_id) AS withdrawal_id,
         (bool_and(kind = $2) = bool_or(kind = $2)
          AND bool_and(kind = ANY ($1::text[])) = bool_or(kind = ANY ($1::text[]))
          AND count(reward_id) IN (0, count(*)) AND min(reward_id) IS NOT DISTINCT FROM max(reward_id)
          AND count(refund_id) IN (0, count(*)) AND min(refund_id) IS NOT DISTINCT FROM max(refund_id)
          AND count(withdrawal_id) IN (0, count(*))
          AND min(withdrawal_id) IS NOT DISTINCT FROM max(withdrawal_id)) AS legs_agree
    FROM ledger_entries
   GROUP BY movement
),
settled AS (
  SELECT reward_id, count(*) AS n, min(amount) AS amount
    FROM movements
   WHERE reward_id IS NOT NULL AND refund_id IS NULL AND withdrawal_id IS NULL
   GROUP BY reward_id
),
reversed AS (
  SELECT reward_id,
         SUM(CASE WHEN reversal THEN -1 ELSE 1 END) AS n,
         SUM(CASE WHEN reversal THEN -amount ELSE amount END) AS amount
    FROM movements
   WHERE refund_id IS NOT NULL AND reward_id IS NOT NULL
   GROUP BY reward_id
),
orders AS (
  SELECT r.trade_no, r.status, r.money,
         COALESCE(s.n, 0) AS settled_n, s.amount AS settled_amount,
         COALESCE(v.n, 0) AS reversed_n, COALESCE(v.amount, 0) AS reversed_amount,
         CASE WHEN p.status = 'pending' THEN 1 ELSE 0 END AS pending_refunds
    FROM rewards r
    LEFT JOIN settled s ON s.reward_id = r.id
    LEFT JOIN reversed v ON v.reward_id = r.id
    LEFT JOIN refunds p ON p.reward_id = r.id
),
balances AS (
  SELECT u.id, u.money, COALESCE(e.total, 0) AS entries
    FROM users u
    LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM ledger_entries
                WHERE account = 'user' GROUP BY user_id) e ON e.user_id = u.id
),
totals AS (
  -- What came in from outside = minus the external legs = user legs minus all legs.
  SELECT (SELECT COALESCE(SUM(money), 0) FROM users) AS balances,
         (SELECT COALESCE(SUM(entries), 0) FROM balances)
           - (SELECT COALESCE(SUM(net), 0) FROM movements) AS external_in
),
withdrawn AS (
  SELECT w.id, w.status, w.amount,
         count(m.movement) FILTER (WHERE m.user_low < 0) AS reserves,
         min(m.amount) FILTER (WHERE m.user_low < 0) AS reserved_amount,
         count(m.movement) FILTER (WHERE m.user_low > 0) AS reversals
    FROM withdrawals w
    LEFT JOIN movements m ON m.withdrawal_id = w.id
   GROUP BY w.id, w.status, w.amount
),
found AS (
  SELECT 'balance' AS kind, 'user:' || id AS subject, 'amount' AS measure,
         entries::text AS expected, money::text AS actual
    FROM balances WHERE money <> entries
  UNION ALL
  SELECT 'movement', movement, 'amount', '0', net::text FROM movements WHERE net <> 0
  UNION ALL
  SELECT 'total', 'all user balances', 'amount', external_in::text, balances::text
    FROM totals WHERE balances <> external_in
  UNION ALL
  SELECT 'order_unsettled', 'order:' || trade_no, 'count', '1', '0'
    FROM orders WHERE status IN (1, 4) AND settled_n = 0
  UNION ALL
  SELECT 'order_double_settled', 'order:' || trade_no, 'count', '1', settled_n::text
    FROM orders WHERE status IN (1, 4) AND settled_n > 1
  UNION ALL
  SELECT 'order_settled_unpaid', 'order:' || trade_no, 'count', '0', settled_n::text
    FROM orders WHERE status NOT IN (1, 4) AND settled_n > 0
  UNION ALL
  SELECT 'order_settlement_amount', 'order:' || trade_no, 'amount', money::text, settled_amount::text
    FROM orders WHERE settled_n = 1 AND settled_amount <> money
  UNION ALL
  SELECT 'refund_unreversed', 'order:' || trade_no, 'count', '1', reversed_n::text
    FROM orders WHERE status = 4 AND reversed_n < 1
  UNION ALL
  SELECT 'refund_double_reversed', 'order:' || trade_no, 'count', '1', reversed_n::text
    FROM orders WHERE status = 4 AND reversed_n > 1
  UNION ALL
  SELECT 'refund_amount', 'order:' || trade_no, 'amount', money::text, reversed_amount::text
    FROM orders WHERE status = 4 AND reversed_n = 1 AND reversed_amount <> money
  UNION ALL
  SELECT 'refund_reserve_mismatch', 'order:' || trade_no, 'count', pending_refunds::text, reversed_n::text
    FROM orders WHERE status <> 4 AND reversed_n <> pending_refunds
  UNION ALL
  SELECT 'withdrawal_unreserved', 'withdrawal:' || id, 'count', '1', '0'
    FROM withdrawn WHERE reserves = 0
  UNION ALL
  SELECT 'withdrawal_double_reserved', 'withdrawal:' || id, 'count', '1', reserves::text
    FROM withdrawn WHERE reserves > 1
  UNION ALL
  SELECT 'withdrawal_reserve_amount', 'withdrawal:' || id, 'amount', amount::text,
         reserved_amount::text
    FROM withdrawn WHERE reserves = 1 AND reserved_amount <> amount
  UNION ALL
  SELECT 'withdrawal_unreversed', 'withdrawal:' || id, 'count', '1', reversals::text
    FROM withdrawn WHERE status = ANY ($4::int[]) AND reversals <> 1
  UNION ALL
  SELECT 'withdrawal_wrongly_reversed', 'withdrawal:' || id, 'count', '0', reversals::text
    FROM withdrawn WHERE NOT (status = ANY ($4::int[])) AND reversals > 0
  UNION ALL
  SELECT 'orphan_movement', movement, 'text', 'the order, refund or withdrawal it moves money for',
         CASE WHEN NOT legs_agree THEN 'legs with different references or kinds'
              WHEN withdrawal_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.id = m.withdrawal_id)
                THEN 'withdrawal ' || withdrawal_id || ', not found'
              WHEN refund_id IS NOT NULL THEN 'refund ' || refund_id || ' of another order'
              ELSE 'no reference' END
    FROM movements m
   WHERE NOT legs_agree
      OR (reward_id IS NULL AND refund_id IS NULL AND withdrawal_id IS NULL
          AND NOT unreferenced_kind)
      OR (withdrawal_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.id = m.withdrawal_id))
      OR (refund_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM refunds p WHERE p.id = m.refund_id AND p.reward_id = m.reward_id))
  UNION ALL
  SELECT 'external_refund_unbooked', 'order:' || n.out_trade_no, 'text', 'status 4',
         COALESCE('status ' || r.status, 'no such order')
    FROM alipay_notifications n
    LEFT JOIN rewards r ON r.trade_no = n.out_trade_no
   WHERE n.outcome = 'external_refund_unbooked' AND r.status IS DISTINCT FROM 4
   GROUP BY n.out_trade_no, r.status
)
SELECT (SELECT count(*) FROM balances) AS users_checked,
       (SELECT count(*) FROM movements) AS movements_checked,
       (SELECT count(*) FROM orders) AS orders_checked,
       (SELECT balances FROM totals) AS total_user_balances,
       (SELECT external_in FROM totals) AS external_net_in,
       (SELECT count(*) FROM found) AS mismatch_total,
       (SELECT COALESCE(json_agg(listed), '[]'::json)
          FROM (SELECT * FROM found ORDER BY kind, subject LIMIT $3) listed) AS listed`;

/**
 * Proves the books and that they match the orders: every user's balance equals the sum of
 * that user's entries, every movement's legs sum to zero, all balances together equal what
 * came in from the external accounts (alipay, grants) minus what went back out; every paid
 * or refunded order has exactly one settlement movement of its amount, every refunded order
 * exactly one standing refund movement (reserves net of reversals), a refund in flight or
 * failed holds exactly its reserve or none, every withdrawal one reserve of its amount and,
 * when failed or rejected, one reversal, and every movement points at what it is for.
 */
@Injectable()
export class LedgerVerificationService {
  constructor(private readonly dataSource: DataSource) {}

  async verify(): Promise<LedgerVerification> {
    // One snapshot, so concurrent payments cannot make a consistent ledger look broken.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      // A full read of a large ledger: more memory for its aggregates than a request gets,
      // and more time than the pool's 15 s per statement (measured: 20 s at 10^6 movements
      // on 2 cores shared with a load average of 15-20). Only this read-only transaction.
      await manager.query(`SET LOCAL work_mem = '256MB'`);
      await manager.query(`SET LOCAL statement_timeout = '120s'`);
      const [row] = await manager.query<VerificationRow[]>(VERIFY_SQL, [
        UNREFERENCED_KINDS,
        REFUND_REVERSAL_KIND,
        MISMATCHES_LISTED,
        WITHDRAWAL_REVERSED_STATUSES,
      ]);
      const mismatchTotal = Number(row.mismatch_total);
      return {
        ok: mismatchTotal === 0,
        users_checked: Number(row.users_checked),
        movements_checked: Number(row.movements_checked),
        orders_checked: Number(row.orders_checked),
        total_user_balances: formatFen(fenFromDatabase(row.total_user_balances)),
        external_net_in: formatFen(fenFromDatabase(row.external_net_in)),
        mismatch_total: mismatchTotal,
        mismatches: row.listed.map(toMismatch),
      };
    });
  }
}

function toMismatch({ kind, subject, measure, expected, actual }: FoundRow): LedgerMismatch {
  const show = (value: string) =>
    measure === 'amount' ? formatFen(fenFromDatabase(value)) : value;
  return { kind, subject, expected: show(expected), actual: show(actual) };
}
