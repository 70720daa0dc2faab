import { describe, expect, it } from 'vitest';
import { plainQuantity } from './prescriptions';

describe('quantities', () => {
  it('show as written, without the stored trailing zeros', () => {
    expect(['21.00', '2.50', '0.25', '100', '10.00'].map(plainQuantity)).toEqual(['21', '2.5', '0.25', '100', '10']);
  });
});
