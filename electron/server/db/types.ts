/**
 * Rows come back as plain objects, alike from both engines: numeric and bigint columns as exact
 * strings, a date as 'YYYY-MM-DD', a timestamptz as the ISO instant '2026-11-29T18:30:00.000Z'.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export type SqlParam = string | number | boolean | null | Date | readonly unknown[] | Record<string, unknown>;

/** Anything that can run a parameterized statement: a database or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>>;
}

export type Engine = 'pglite' | 'postgres';

/** The handle a transaction's callback gets: statements on that transaction's one connection. */
export interface Transaction extends Queryable {
  /** Runs a multi-statement SQL script without parameters inside the transaction (a migration file). */
  exec(sql: string): Promise<void>;
}

/**
 * One small interface over PGlite (embedded, offline clinic) and pg (remote tenant PostgreSQL).
 * `transaction` runs its callback inside BEGIN … COMMIT on one connection and rolls back on throw.
 */
export interface Db extends Queryable {
  readonly engine: Engine;
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs a multi-statement SQL script without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Who a request acts for: every request transaction carries both, set with set_config(…, true). */
export interface RequestIdentity {
  tenantId: string;
  userId: string | null;
}
