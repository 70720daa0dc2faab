import { describe, expect, it } from 'vitest';
import { invoiceLine } from '../../../../shared/billing';
import { blankLine, linesToForm } from './lineForm';

describe('invoice lines in a form', () => {
  it('come back from the stored lines as typed text, and pass the shared schema again', () => {
    const form = linesToForm([
      {
        code: 'TEST-FBC',
        description: 'Full blood count',
        quantity: '1',
        unit_price: '15.00',
        discount: '0.00',
        tax_rate: '0.00',
        amount: '15.00',
        tax: '0.00',
      },
      { description: 'Report', quantity: '2', unit_price: '40.00', discount: '5.00', tax_rate: '20.00', amount: '75.00', tax: '15.00' },
    ]);
    expect(form).toEqual([
      { code: 'TEST-FBC', description: 'Full blood count', quantity: '1', unitPrice: '15.00', discount: '0.00', taxRate: '0.00' },
      { code: '', description: 'Report', quantity: '2', unitPrice: '40.00', discount: '5.00', taxRate: '20.00' },
    ]);
    for (const line of form) expect(invoiceLine.safeParse(line).success).toBe(true);
  });

  it('a new line asks for its description and price', () => {
    const issues = invoiceLine.safeParse(blankLine()).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues).toEqual(['description', 'unitPrice']);
  });
});
