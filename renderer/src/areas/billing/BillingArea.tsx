import type { Permission } from '../../../../shared/permissions';
import { CashUpPage } from '../../features/cash-up/CashUpPage';
import { InvoicesPage } from '../../features/invoices/InvoicesPage';
import { PriceListPage } from '../../features/price-list/PriceListPage';
import { AgedDebtPage } from '../../features/revenue/AgedDebtPage';
import { RevenuePage } from '../../features/revenue/RevenuePage';
import { useCan } from '../../ui/useSignedIn';
import { useBillingDesk, type BillingView } from './billingDesk';

const VIEWS: readonly { id: BillingView; label: string; permission: Permission }[] = [
  { id: 'invoices', label: 'Invoices', permission: 'billing.read' },
  { id: 'cash-up', label: 'Cash-up', permission: 'billing.read' },
  { id: 'aged-debt', label: 'Aged debt', permission: 'billing.read' },
  { id: 'revenue', label: 'Revenue', permission: 'reports.financial' },
  { id: 'price-list', label: 'Price list', permission: 'billing.read' },
];

export function BillingArea() {
  const can = useCan();
  const { view: chosen, show } = useBillingDesk();
  const allowed = VIEWS.filter((view) => can(view.permission));
  const current = allowed.find((view) => view.id === chosen) ?? allowed[0];
  return (
    <div className="billing">
      <header className="billing-header">
        <h1 tabIndex={-1}>Billing</h1>
        <nav aria-label="Billing" className="subnav">
          {allowed.map((view) => (
            <button
              key={view.id}
              type="button"
              className="subnav-item"
              aria-current={view.id === current?.id ? 'page' : undefined}
              onClick={() => show(view.id)}
            >
              {view.label}
            </button>
          ))}
        </nav>
      </header>
      <div className="billing-page">
        {current?.id === 'invoices' && <InvoicesPage />}
        {current?.id === 'cash-up' && <CashUpPage />}
        {current?.id === 'aged-debt' && <AgedDebtPage />}
        {current?.id === 'revenue' && <RevenuePage />}
        {current?.id === 'price-list' && <PriceListPage />}
      </div>
    </div>
  );
}
