import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SERVICE_CATEGORY_LABELS, type PriceListService, type ServicePrice } from '../../../../shared/billing';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { formatDate } from '../../ui/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { APPOINTMENT_TYPE_LABELS } from '../appointments/labels';
import { useMoney } from '../invoices/useMoney';
import { AddServiceDialog, RetireServiceDialog, SetPriceDialog } from './PriceDialogs';
import type { AppointmentType } from '../../../../shared/appointments';

type Editing = { kind: 'add' } | { kind: 'price' | 'retire'; service: PriceListService } | null;

/** The clinic's services and what they cost today; a new price starts on a day, and earlier visits keep theirs. */
export function PriceListPage() {
  const { clinic } = useSignedIn();
  const can = useCan();
  const money = useMoney();
  const trpc = useTRPC();
  const list = useQuery(trpc.billing.priceList.queryOptions());
  const [editing, setEditing] = useState<Editing>(null);
  const day = (date: string) => formatDate(date, clinic.language);
  const priced = (price: ServicePrice) => (
    <>
      {money(price.unit_price)}
      {price.tax_rate !== '0.00' && <span className="muted"> + {Number(price.tax_rate)}% tax</span>}
    </>
  );

  return (
    <section className="panel price-list" aria-labelledby="price-list-title">
      <div className="invoice-list-head">
        <h2 id="price-list-title">Price list</h2>
        {can('billing.write') && (
          <button type="button" className="button-primary button-small" onClick={() => setEditing({ kind: 'add' })}>
            Add a service
          </button>
        )}
      </div>
      <p className="muted">A visit is charged the price of its own day: a new price applies from its first day on.</p>
      {list.isError && <p className="form-problem">{formErrorsOf(list.error).general}</p>}
      {list.isSuccess && list.data.length === 0 && <p className="muted">No services yet.</p>}
      {list.isSuccess && list.data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Service</th>
              <th scope="col">Charged for</th>
              <th scope="col" className="number">
                Price today
              </th>
              <th scope="col">Next</th>
              {can('billing.write') && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {list.data.map((service) => (
              <tr key={service.code} className={service.current ? undefined : 'row-disabled'}>
                <td>{service.code}</td>
                <td>
                  {service.description} <span className="muted">{SERVICE_CATEGORY_LABELS[service.category]}</span>
                </td>
                <td>
                  {service.appointment_type && `${APPOINTMENT_TYPE_LABELS[service.appointment_type as AppointmentType]} visit`}
                  {service.test_code && `Test ${service.test_code}`}
                </td>
                <td className="number">{service.current ? priced(service.current) : <span className="muted">Not charged</span>}</td>
                <td>
                  {service.next && (
                    <>
                      {priced(service.next)} from {day(service.next.valid_from)}
                    </>
                  )}
                  {!service.next && service.retired_from && `Retired from ${day(service.retired_from)}`}
                </td>
                {can('billing.write') && (
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button-secondary button-small"
                        onClick={() => setEditing({ kind: 'price', service })}
                      >
                        New price…
                      </button>
                      {!service.retired_from && (
                        <button
                          type="button"
                          className="button-secondary button-small"
                          onClick={() => setEditing({ kind: 'retire', service })}
                        >
                          Retire…
                        </button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing?.kind === 'add' && <AddServiceDialog onClose={() => setEditing(null)} />}
      {editing?.kind === 'price' && <SetPriceDialog service={editing.service} onClose={() => setEditing(null)} />}
      {editing?.kind === 'retire' && <RetireServiceDialog service={editing.service} onClose={() => setEditing(null)} />}
    </section>
  );
}
