import { ConflictException, Injectable } from '@nestjs/common';
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

/** The advisory lock that lets one verification run at a time (migrations use 20_261_126). */
const VERIFY_LOCK_KEY = 20_261_130;

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
 * One movement (or, in STREAMED_MOVEMENTS, one order's part of one movement) from its legs.
 * Each leg is classed (2 a reversal, 1 a kind that stands for itself, 0 any other) and reads
 * a missing reference as 0 (ids start at 1): the legs agree when the lowest and the highest
 * of each of these are equal, two by-value aggregates per column. Where they do not, the
 * movement is an orphan and counts under its highest reference.
 */
const MOVEMENT_COLUMNS = `
         SUM(amount) AS net,
         -- Every movement moves one amount from one account to another: its largest leg.
         max(amount) AS amount,
         min(amount) FILTER (WHERE account = 'user') AS user_low,
         max(class) = 2 AS reversal,
         max(class) = 1 AS unreferenced_kind,
         NULLIF(max(reward), 0) AS reward_id,
         NULLIF(max(refund), 0) AS refund_id,
         NULLIF(max(withdrawal), 0) AS withdrawal_id,
         (min(class) = max(class) AND min(reward) = max(reward) AND min(refund) = max(refund)
          AND min(withdrawal) = max(withdrawal)) AS legs_agree`;
const LEG_COLUMNS = `movement, amount, account,
         CASE WHEN kind = $2 THEN 2 WHEN kind = ANY ($1::text[]) THEN 1 ELSE 0 END AS class,
         COALESCE(reward_id, 0) AS reward, COALESCE(refund_id, 0) AS refund,
         COALESCE(withdrawal_id, 0) AS withdrawal`;

/** Every movement exactly, grouped by its name: the reading when some movement is split. */
const EXACT_MOVEMENTS = `
  SELECT movement, ${MOVEMENT_COLUMNS}
    FROM (SELECT ${LEG_COLUMNS} FROM ledger_entries) leg
   GROUP BY movement`;

/**
 * The legs of orders grouped by (order, movement), read in that order from
 * ledger_entries_reward_id_movement_idx (index only, no hash table, no sort), and the other
 * legs by movement. Equal to EXACT_MOVEMENTS exactly when no movement has legs in two of
 * these groups, which verify() checks by counting the movements.
 */
const STREAMED_MOVEMENTS = `
  SELECT movement, ${MOVEMENT_COLUMNS}
    FROM (SELECT reward_id AS order_id, ${LEG_COLUMNS}
            FROM ledger_entries WHERE reward_id IS NOT NULL) leg
   GROUP BY order_id, movement
  UNION ALL
  SELECT movement, ${MOVEMENT_COLUMNS}
    FROM (SELECT ${LEG_COLUMNS} FROM ledger_entries WHERE reward_id IS NULL) leg
   GROUP BY movement`;

/**
 * The whole verification, set-based, in one statement: the ledger is read once into one row
 * per movement (its class, amount and references, and whether its legs agree on them), and
 * every rule is a query over those rows, the users and the orders. References are the typed
 * columns; movement strings are only names here.
 *
 * Shaped for 10^6 movements (docs/BENCHMARKS.md, "Scale"): each large input is read once,
 * by aggregates whose states are plain integers (one SUM), and a rule reads a large set only
 * once: the orders are joined to their movements once (a merge join on the order id), and
 * only the orders some rule fails on are kept for the rules to list.
 */
const verifySql = (movements: string) => `
WITH movements AS MATERIALIZED (${movements}
),
by_order AS (
  -- Settlements (no refund, no withdrawal) and refund movements (reserves net of reversals).
  SELECT reward_id,
         count(*) FILTER (WHERE refund_id IS NULL AND withdrawal_id IS NULL) AS settled_n,
         min(amount) FILTER (WHERE refund_id IS NULL AND withdrawal_id IS NULL) AS settled_amount,
         SUM(CASE WHEN reversal THEN -1 ELSE 1 END) FILTER (WHERE refund_id IS NOT NULL)
           AS reversed_n,
         SUM(CASE WHEN reversal THEN -amount ELSE amount END) FILTER (WHERE refund_id IS NOT NULL)
           AS reversed_amount
    FROM movements
   WHERE reward_id IS NOT NULL
   GROUP BY reward_id
),
orders AS MATERIALIZED (
  -- Each order joined once; only the orders a rule below fails on are kept for the rules to
  -- read. A healthy order is paid or refunded with one settlement of its amount (else has
  -- none), and refunded with one standing reversal of its amount (else holds as many as its
  -- pending refund's one reserve).
  SELECT *
    FROM (SELECT r.trade_no, r.status, r.money,
                 COALESCE(o.settled_n, 0) AS settled_n, o.settled_amount,
                 COALESCE(o.reversed_n, 0) AS reversed_n,
                 COALESCE(o.reversed_amount, 0) AS reversed_amount,
                 CASE WHEN p.status = 'pending' THEN 1 ELSE 0 END AS pending_refunds
            FROM rewards r
            LEFT JOIN by_order o ON o.reward_id = r.id
            LEFT JOIN refunds p ON p.reward_id = r.id) joined
   WHERE (CASE WHEN status IN (1, 4) THEN settled_n = 1 AND settled_amount = money
               ELSE settled_n = 0 END
          AND CASE WHEN status = 4 THEN reversed_n = 1 AND reversed_amount = money
                   ELSE reversed_n = pending_refunds END) IS NOT TRUE
),
legs_by_user AS (
  -- Every leg once: each user's sum, and under NULL the sum of the external legs (a leg has
  -- a user exactly when its account is 'user': ledger_entries_user_leg_check).
  SELECT user_id, SUM(amount) AS total FROM ledger_entries GROUP BY user_id
),
balances AS (
  SELECT u.id, u.money, COALESCE(e.total, 0) AS entries
    FROM users u
    LEFT JOIN legs_by_user e ON e.user_id = u.id
),
totals AS (
  -- What came in from outside = minus the external legs.
  SELECT (SELECT COALESCE(SUM(money), 0) FROM balances) AS balances,
         (SELECT -COALESCE(SUM(total), 0) FROM legs_by_user WHERE user_id IS NULL) AS external_in
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
       (SELECT count(*) FROM rewards) AS orders_checked,
       (SELECT balances FROM totals) AS total_user_balances,
       (SELECT external_in FROM totals) AS external_net_in,
       (SELECT count(*) FROM found) AS mismatch_total,
       (SELECT COALESCE(json_agg(listed), '[]'::json)
          FROM (SELECT * FROM found ORDER BY kind, subject LIMIT $3) listed) AS listed`;
const STREAMED_VERIFY_SQL = verifySql(STREAMED_MOVEMENTS);
const EXACT_VERIFY_SQL = verifySql(EXACT_MOVEMENTS);

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
      // One verification at a time, across every API process: the memory below is safe to
      // give one of them, not several. Held until this transaction ends.
      const [{ locked }] = await manager.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [VERIFY_LOCK_KEY],
      );
      if (!locked) {
        throw new ConflictException('账本核对正在进行，请稍后再试');
      }
      // A full read of a large ledger: its sorts (the movements by order, the legs by user)
      // and, on the exact reading, its hash aggregates over 10^6 movements need up to ~320 MB
      // (measured; a hash may use work_mem × hash_mem_multiplier 2 before spilling to disk),
      // and more time than the pool's 15 s per statement. Only this read-only transaction,
      // and only one such transaction at a time (the lock above): a bound of ~0.5 GB.
      await manager.query(`SET LOCAL work_mem = '256MB'`);
      await manager.query(`SET LOCAL statement_timeout = '120s'`);
      const params = [
        UNREFERENCED_KINDS,
        REFUND_REVERSAL_KIND,
        MISMATCHES_LISTED,
        WITHDRAWAL_REVERSED_STATUSES,
      ];
      // Left to itself the planner hashes the 2 x 10^6 legs by movement (~6 s at 10^6
      // movements); without hash aggregates and joins it streams the orders' legs from their
      // covering index, per movement then per order, and merges them with the orders (~2.7 s).
      await manager.query(`SET LOCAL enable_hashagg = off`);
      await manager.query(`SET LOCAL enable_hashjoin = off`);
      let [row] = await manager.query<VerificationRow[]>(STREAMED_VERIFY_SQL, params);
      // The streamed reading groups legs by order and movement: it is exact unless a movement
      // has legs under two orders (or under one and none). Then there are more groups than
      // movements, and the exact reading lists it as an orphan (rare: a broken ledger).
      const [{ movements }] = await manager.query<{ movements: string }[]>(
        'SELECT count(DISTINCT movement) AS movements FROM ledger_entries',
      );
      if (movements !== row.movements_checked) {
        await manager.query(`SET LOCAL enable_hashagg = on`);
        await manager.query(`SET LOCAL enable_hashjoin = on`);
        [row] = await manager.query<VerificationRow[]>(EXACT_VERIFY_SQL, params);
      }
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
