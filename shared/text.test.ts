import { describe, expect, it } from 'vitest';
import { patientDetails } from './patients';
import { findUnsafeText } from './text';

describe('text that cannot be stored', () => {
  it.each([
    ['a NUL', 'Jo\u0000hn'],
    ['an escape', 'Jo\u001bhn'],
    ['a lone high surrogate', 'Jo\uD83Dhn'],
    ['a lone low surrogate', 'Jo\uDE00hn'],
  ])('refuses %s and says where', (_, value) => {
    expect(findUnsafeText({ patient: { notes: 'fine', allergies: [{ substance: value }] } })).toEqual({
      path: 'patient.allergies.0.substance',
      message: expect.stringMatching(/control characters|broken character/),
    });
  });

  it('accepts line breaks, tabs, accents and emoji', () => {
    expect(findUnsafeText({ notes: 'Line one\n\tLine two — Müller, Siobhán 😀' })).toBeNull();
  });
});

describe('names', () => {
  const base = { first_name: 'Ann', last_name: 'Lee', date_of_birth: '1980-01-01', gender: 'Female' };

  it.each([
    ['a right-to-left override', 'Smi\u202Eth'],
    ['a zero-width space', 'Smi\u200Bth'],
    ['a zero-width joiner', 'Smi\u200Dth'],
    ['a byte order mark', 'Smi\uFEFFth'],
  ])('refuses %s beside the field', (_, last_name) => {
    const parsed = patientDetails.safeParse({ ...base, last_name });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['last_name'], message: expect.stringMatching(/invisible characters/) }),
    ]);
  });

  it('stores a name typed with combining accents as its composed form', () => {
    const parsed = patientDetails.parse({ ...base, first_name: 'Jose\u0301', last_name: 'Mu\u0308ller' });
    expect([parsed.first_name, parsed.last_name]).toEqual(['José', 'Müller']);
  });
});
