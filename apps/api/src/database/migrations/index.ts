import { Foundation1764115200000 } from './1764115200000-foundation.js';
import { Payments1764201600000 } from './1764201600000-payments.js';
import { ExternalRefunds1764806400000 } from './1764806400000-external-refunds.js';
import { WatchClosedOrders1764806460000 } from './1764806460000-watch-closed-orders.js';
import { LedgerReferences1764806500000 } from './1764806500000-ledger-references.js';
import { NotificationDeliveries1764806600000 } from './1764806600000-notification-deliveries.js';
import { RewardChannels1764806700000 } from './1764806700000-reward-channels.js';
import { Withdrawals1764806800000 } from './1764806800000-withdrawals.js';
import { PaymentSummaries1765000000000 } from './1765000000000-payment-summaries.js';
import { RewardListIndexes1765000100000 } from './1765000100000-reward-list-indexes.js';
import { LedgerVerifyCoveringIndex1765000200000 } from './1765000200000-ledger-verify-covering-index.js';

/** Every committed migration, in order. */
export const migrations = [
  Foundation1764115200000,
  Payments1764201600000,
  ExternalRefunds1764806400000,
  WatchClosedOrders1764806460000,
  LedgerReferences1764806500000,
  NotificationDeliveries1764806600000,
  RewardChannels1764806700000,
  Withdrawals1764806800000,
  PaymentSummaries1765000000000,
  RewardListIndexes1765000100000,
  LedgerVerifyCoveringIndex1765000200000,
];
