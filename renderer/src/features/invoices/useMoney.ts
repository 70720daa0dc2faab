import { useCallback } from 'react';
import { formatMoney } from '../../../../shared/billing';
import { useSignedIn } from '../../ui/useSignedIn';

/** Formats an amount (decimal text from the server) in the clinic's currency and language. */
export function useMoney(): (amount: string) => string {
  const { clinic } = useSignedIn();
  return useCallback((amount: string) => formatMoney(amount, clinic.currency, clinic.language), [clinic.currency, clinic.language]);
}
