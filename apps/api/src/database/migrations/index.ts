import { Foundation1764115200000 } from './1764115200000-foundation.js';
import { Payments1764201600000 } from './1764201600000-payments.js';
import { RewardChannels1764806700000 } from './1764806700000-reward-channels.js';

/** Every committed migration, in order. */
export const migrations = [
  Foundation1764115200000,
  Payments1764201600000,
  RewardChannels1764806700000,
];
