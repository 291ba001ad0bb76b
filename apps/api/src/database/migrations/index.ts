import { Foundation1764115200000 } from './1764115200000-foundation.js';

/** Every committed migration, in order. */
export const migrations = [Foundation1764115200000];
