import { AreaHeader } from '../../frame/AreaHeader';

export function BillingArea() {
  return (
    <AreaHeader title="Billing" purpose="Invoices with their line items, payments and refunds, outstanding balances and revenue reports." />
  );
}
