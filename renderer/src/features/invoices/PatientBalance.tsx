import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';
import { useCan } from '../../ui/useSignedIn';
import { useMoney } from './useMoney';

/** What the patient still owes on issued invoices, for those who may see money. */
export function PatientBalance({ patientId }: { patientId: string }) {
  const can = useCan();
  const money = useMoney();
  const trpc = useTRPC();
  const balance = useQuery(trpc.billing.balance.queryOptions({ patientId }, { enabled: can('billing.read') }));
  if (!balance.data) return null;
  const owing = balance.data.open_invoices > 0 && balance.data.outstanding !== '0.00';
  return (
    <span className={owing ? 'patient-balance patient-balance-owing' : 'patient-balance'}>
      {owing
        ? `Owes ${money(balance.data.outstanding)} (${balance.data.open_invoices} invoice${balance.data.open_invoices === 1 ? '' : 's'})`
        : 'Nothing owed'}
    </span>
  );
}
