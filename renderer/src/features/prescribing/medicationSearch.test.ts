import { describe, expect, it } from 'vitest';
import { findMedications } from './medicationSearch';

describe('finding a medicine as the prescriber types', () => {
  it('offers generic names by their start, with their class', () => {
    const found = findMedications('amox');
    expect(found[0]).toEqual({ name: 'Amoxicillin', matched: null, classes: ['Penicillins'] });
    expect(found.map((o) => o.name)).toContain('Co-amoxiclav');
  });

  it('finds a brand name and says which medicine it is', () => {
    expect(findMedications('augm')).toEqual([{ name: 'Co-amoxiclav', matched: 'augmentin', classes: ['Penicillins'] }]);
  });

  it('ignores case and accents, and waits for two letters', () => {
    expect(findMedications('IBUPRO')[0]?.name).toBe('Ibuprofen');
    expect(findMedications('céfalex')[0]?.name).toBe('Cefalexin');
    expect(findMedications('a')).toEqual([]);
  });

  it('gives no more than asked', () => {
    expect(findMedications('ce', 3)).toHaveLength(3);
    expect(findMedications('zzzz')).toEqual([]);
  });
});
