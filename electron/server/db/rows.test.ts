import { describe, expect, it } from 'vitest';
import { maybeOne, one } from './rows';
import type { Queryable } from './types';

/** A stand-in that answers every statement with `rows`. */
const answering = (rows: object[]): Queryable => ({
  query: async <Row>() => ({ rows: rows as Row[], rowCount: rows.length }),
});

describe('one and maybeOne', () => {
  const sql = `SELECT id FROM patients
               WHERE id = $1`;

  it('answer the row', async () => {
    expect(await one(answering([{ id: 'p1' }]), sql, ['p1'])).toEqual({ id: 'p1' });
    expect(await maybeOne(answering([{ id: 'p1' }]), sql, ['p1'])).toEqual({ id: 'p1' });
    expect(await maybeOne(answering([]), sql, ['p1'])).toBeUndefined();
  });

  it('say which statement answered the wrong number of rows, without its parameters', async () => {
    await expect(one(answering([]), sql, ['Jane Doe'])).rejects.toThrow(
      'Expected one row, got 0, from: SELECT id FROM patients WHERE id = $1',
    );
    await expect(one(answering([{}, {}]), sql)).rejects.toThrow(/got 2/);
    await expect(maybeOne(answering([{}, {}]), sql)).rejects.toThrow('Expected at most one row, got 2');
  });
});
