import type { Queryable, SqlParam } from './types';

/** Where a statement is in the code, for an error message: its text, never its parameters. */
function statementOf(sql: string): string {
  return sql.trim().replace(/\s+/g, ' ').slice(0, 100);
}

/**
 * The one row a statement answers with: an INSERT … RETURNING, a function's result, a row the
 * request already knows exists. None or several is a fault in the code or the schema that nobody
 * at the desk can act on, so it throws a plain Error (logged, answered "Something went wrong").
 */
export async function one<Row = Record<string, unknown>>(tx: Queryable, sql: string, params?: readonly SqlParam[]): Promise<Row> {
  const { rows } = await tx.query<Row>(sql, params);
  const [row] = rows;
  if (row === undefined || rows.length > 1) throw new Error(`Expected one row, got ${rows.length}, from: ${statementOf(sql)}`);
  return row;
}

/** The row a statement answers with, or undefined when there is none; several is a fault, as for `one`. */
export async function maybeOne<Row = Record<string, unknown>>(
  tx: Queryable,
  sql: string,
  params?: readonly SqlParam[],
): Promise<Row | undefined> {
  const { rows } = await tx.query<Row>(sql, params);
  if (rows.length > 1) throw new Error(`Expected at most one row, got ${rows.length}, from: ${statementOf(sql)}`);
  return rows[0];
}
