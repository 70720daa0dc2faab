import { describe, expect, it } from 'vitest';
import { AREAS } from '../../../shared/permissions';
import { areaToOpen } from './homeArea';

const allOf = (...ids: string[]) => AREAS.filter((area) => ids.includes(area.id));

describe('areaToOpen', () => {
  it('opens Clinical for doctors and nurses, Billing for billing staff, the first allowed area for everyone else', () => {
    expect(areaToOpen(allOf('reception', 'billing'), null, 'billing')?.id).toBe('billing');
    expect(areaToOpen(allOf('reception', 'clinical', 'billing'), null, 'doctor')?.id).toBe('clinical');
    expect(areaToOpen(allOf('reception', 'clinical'), null, 'nurse')?.id).toBe('clinical');
    expect(areaToOpen(allOf('reception', 'billing'), null, 'receptionist')?.id).toBe('reception');
    expect(areaToOpen(allOf('reception', 'clinical', 'billing', 'admin'), null, 'admin')?.id).toBe('reception');
  });

  it('keeps the area chosen in this session, and never opens one the role lacks', () => {
    expect(areaToOpen(allOf('reception', 'clinical', 'billing'), 'reception', 'doctor')?.id).toBe('reception');
    expect(areaToOpen(allOf('reception'), null, 'doctor')?.id).toBe('reception');
    expect(areaToOpen(allOf('reception', 'billing'), 'admin', 'receptionist')?.id).toBe('reception');
    expect(areaToOpen([], null, 'doctor')).toBeUndefined();
  });
});
