import pg from 'pg';
import { DATE_TIME_COLUMNS } from './date-columns.mjs';
import type { Db, QueryResult, SqlParam, Transaction } from './types';

export interface PostgresOptions {
  connectionString: string;
  /** Connections kept open at most (default 10). */
  max?: number;
  /**
   * Statements without parameters that open every transaction, sent with its BEGIN in one
   * round trip (a staff login's `SET LOCAL ROLE …`): no transaction of this pool can skip them.
   */
  transactionSetup?: string;
}

const TEXT_ARRAY_OID = 1009;

// numeric and int8 already arrive as strings from pg; dates and timestamps become the strings
// of date-columns.mjs, as on PGlite (pg's defaults are Dates, and read a date or a timestamp
// without time zone in this computer's time zone).
const clinicTypes = new pg.TypeOverrides();
// (@types/pg declares a parser as taking a number; it takes the value's text.)
const parseTextArray = clinicTypes.getTypeParser(TEXT_ARRAY_OID, 'text') as unknown as (text: string) => NestedText;
type NestedText = string | null | NestedText[];
for (const { oid, arrayOid, parse } of DATE_TIME_COLUMNS) {
  const each = (value: NestedText): unknown => (Array.isArray(value) ? value.map(each) : value === null ? null : parse(value));
  clinicTypes.setTypeParser(oid, 'text', parse);
  clinicTypes.setTypeParser(arrayOid, 'text', (text: string) => each(parseTextArray(text)));
}

/**
 * A tenant's remote PostgreSQL through a pool. Safe behind pgbouncer in transaction mode:
 * only unnamed parameterized statements, and never a session-level setting (per-request
 * settings are set_config(…, true) inside the request's transaction).
 */
export async function openPostgres({ connectionString, max = 10, transactionSetup }: PostgresOptions): Promise<Db> {
  const begin = transactionSetup ? `BEGIN; ${transactionSetup}` : 'BEGIN';
  const pool = new pg.Pool({ connectionString, max, types: clinicTypes });
  // An idle connection that drops is discarded by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on('error', (error) => console.warn('PostgreSQL connection lost; the pool will reconnect', error.message));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw error;
  }

  const run = async <Row>(target: pg.Pool | pg.PoolClient, sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>> => {
    const result = await target.query({ text: sql, values: params as unknown[] | undefined });
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  };

  return {
    engine: 'postgres',

    query: (sql, params) => run(pool, sql, params),

    async exec(sql) {
      await pool.query(sql); // no parameters: the simple protocol, which accepts several statements
    },

    async transaction(work) {
      const client = await pool.connect();
      let ended = false;
      const whileOpen = <T>(statement: () => Promise<T>): Promise<T> =>
        ended ? Promise.reject(new Error('transaction already ended')) : statement();
      const tx: Transaction = {
        query: (sql, params) => whileOpen(() => run(client, sql, params)),
        exec: (sql) =>
          whileOpen(async () => {
            await client.query(sql);
          }),
      };
      let brokenConnection: Error | undefined;
      try {
        let result;
        try {
          await client.query(begin);
          result = await work(tx);
        } catch (error) {
          ended = true;
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            brokenConnection = rollbackError;
          });
          throw error;
        }
        ended = true;
        await client.query('COMMIT');
        return result;
      } finally {
        // A connection whose ROLLBACK failed may still be inside the transaction: destroy it.
        client.release(brokenConnection);
      }
    },

    close: () => pool.end(),
  };
}
