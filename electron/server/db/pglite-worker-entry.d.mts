import type { PGlite } from '@electric-sql/pglite';
import type { QueryResult, SqlParam } from './types';

export function openPgliteEngine(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite>;

export function runStatement<Row>(pglite: PGlite, sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>>;

export function tarballBlob(bytes: Uint8Array): Blob;
