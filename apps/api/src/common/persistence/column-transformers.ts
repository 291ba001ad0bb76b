import { fenFromDatabase } from '@renran/money';
import type { ValueTransformer } from 'typeorm';

/** `bigint` columns holding fen: node-postgres returns strings, code works with safe integers. */
export const fenColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : fenFromDatabase(value)),
};
