import { create } from 'zustand';

export type BillingView = 'invoices' | 'cash-up' | 'aged-debt' | 'revenue' | 'price-list';

/** Which page of Billing is open; it survives a trip to Reception. */
export const useBillingDesk = create<{ view: BillingView; show(view: BillingView): void }>()((set) => ({
  view: 'invoices',
  show: (view) => set({ view }),
}));
