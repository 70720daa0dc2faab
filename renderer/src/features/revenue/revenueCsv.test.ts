import { describe, expect, it } from 'vitest';
import { revenueCsv } from './revenueCsv';

describe('the revenue CSV', () => {
  it('keeps exact amounts, quotes what needs it, and has the three tables', () => {
    const csv = revenueCsv({
      currency: 'GBP',
      rows: [{ period: '2026-11-02', invoiced: '1234.50', credited: '10.00', collected: '1000.00', refunded: '0.00' }],
      byDoctor: [{ key: 'd1', label: 'Dr Amara Okafor, MRCPCH', invoiced: '600.00' }],
      byService: [{ key: 'CONS-GP', label: 'GP consultation', invoiced: '634.50' }],
    });
    expect(csv.split('\r\n')).toEqual([
      'Period starting,Invoiced (GBP),Credited,Collected,Refunded',
      '2026-11-02,1234.50,10.00,1000.00,0.00',
      '',
      'Doctor,Invoiced (GBP)',
      '"Dr Amara Okafor, MRCPCH",600.00',
      '',
      'Service,Invoiced (GBP)',
      'GP consultation,634.50',
    ]);
  });
});
