import type { ValueTransformer } from 'typeorm';

/**
 * Column option fragments that read the same on MariaDB and SQLite.
 * tsx/esbuild emit no decorator metadata, so every column names its type.
 */
export const datetime = { type: 'datetime', precision: 6 } as const;

/** DECIMAL comes back from mysql2 as a string; the clinic means a number. */
export const decimalToNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};
