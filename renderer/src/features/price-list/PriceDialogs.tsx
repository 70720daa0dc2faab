import { useMutation } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { z } from 'zod';
import { APPOINTMENT_TYPES, type AppointmentType } from '../../../../shared/appointments';
import {
  addServiceInput,
  retireServiceInput,
  SERVICE_CATEGORIES,
  SERVICE_CATEGORY_LABELS,
  setPriceInput,
  type PriceListService,
  type ServiceCategory,
} from '../../../../shared/billing';
import { addDays, todayIn } from '../../../../shared/dates';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, SelectField } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { APPOINTMENT_TYPE_LABELS } from '../appointments/labels';

interface Sending<I> {
  mutate(input: I, options: { onSuccess(): void }): void;
  isPending: boolean;
  error: unknown;
}

/**
 * One price-list change: checked here with the server's schema, then sent; the messages (ours
 * or the server's) sit beside their fields, and the dialog closes once it is saved.
 */
function usePriceChange<S extends z.ZodType>(schema: S, sending: Sending<z.output<S>>) {
  const [checked, setChecked] = useState<Record<string, string>>({});
  const errors = sending.error ? formErrorsOf(sending.error) : NO_ERRORS;
  return {
    fields: { ...errors.fields, ...checked } as Record<string, string | undefined>,
    problem: errors.general,
    submit(event: FormEvent, input: unknown, onSuccess: () => void) {
      event.preventDefault();
      if (sending.isPending) return;
      const result = checkForm(schema, input);
      setChecked(result.fields);
      if (result.ok) sending.mutate(result.value, { onSuccess });
    },
  };
}

function useClinicToday(): { today: string; tomorrow: string } {
  const { clinic } = useSignedIn();
  const today = todayIn(clinic.timezone);
  return { today, tomorrow: addDays(today, 1) };
}

interface PriceValues {
  unitPrice: string;
  taxRate: string;
  validFrom: string;
}

/** A price, its tax rate and the day it starts (today or later), as every price-list form asks for them. */
function PriceFields({
  value,
  onChange,
  fields,
  today,
  autoFocus = false,
}: {
  value: PriceValues;
  onChange(value: PriceValues): void;
  fields: Record<string, string | undefined>;
  today: string;
  autoFocus?: boolean;
}) {
  const set = (key: keyof PriceValues) => (event: ChangeEvent<HTMLInputElement>) => onChange({ ...value, [key]: event.target.value });
  return (
    <>
      <Field
        label="Price"
        inputMode="decimal"
        autoFocus={autoFocus}
        value={value.unitPrice}
        onChange={set('unitPrice')}
        error={fields.unitPrice}
      />
      <Field label="Tax rate (%)" inputMode="decimal" value={value.taxRate} onChange={set('taxRate')} error={fields.taxRate} />
      <Field label="From" type="date" min={today} value={value.validFrom} onChange={set('validFrom')} error={fields.validFrom} />
    </>
  );
}

export function SetPriceDialog({ service, onClose }: { service: PriceListService; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const saving = useMutation(trpc.billing.setPrice.mutationOptions({ onSuccess: refresh }));
  const { today, tomorrow } = useClinicToday();
  const latest = service.next ?? service.current ?? service.history.at(-1);
  const [price, setPrice] = useState<PriceValues>({
    unitPrice: latest?.unit_price ?? '',
    taxRate: latest ? String(Number(latest.tax_rate)) : '0',
    validFrom: tomorrow,
  });
  const form = usePriceChange(setPriceInput, saving);
  const { fields } = form;

  return (
    <Dialog title={`New price for ${service.description}`} onClose={onClose}>
      <form onSubmit={(event) => form.submit(event, { code: service.code, ...price }, onClose)} noValidate>
        <p className="dialog-text">Visits before the first day keep the price they had; invoices already written never change.</p>
        <PriceFields
          value={price}
          onChange={setPrice}
          fields={{ ...fields, validFrom: fields.validFrom ?? fields.code }}
          today={today}
          autoFocus
        />
        <DialogFooter problem={form.problem} busy={saving.isPending} label="Set price" busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function RetireServiceDialog({ service, onClose }: { service: PriceListService; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const saving = useMutation(trpc.billing.retireService.mutationOptions({ onSuccess: refresh }));
  const { today, tomorrow } = useClinicToday();
  const [from, setFrom] = useState(tomorrow);
  const form = usePriceChange(retireServiceInput, saving);
  const { fields } = form;

  return (
    <Dialog title={`Retire ${service.description}?`} onClose={onClose}>
      <form onSubmit={(event) => form.submit(event, { code: service.code, from }, onClose)} noValidate>
        <p className="dialog-text">From this day on, visits are not charged for it. Its prices until then are kept.</p>
        <Field
          label="No longer charged from"
          type="date"
          min={today}
          autoFocus
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          error={fields.from ?? fields.code}
        />
        <DialogFooter problem={form.problem} busy={saving.isPending} label="Retire" busyLabel="Saving…" onCancel={onClose} danger />
      </form>
    </Dialog>
  );
}

export function AddServiceDialog({ onClose }: { onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const saving = useMutation(trpc.billing.addService.mutationOptions({ onSuccess: refresh }));
  const { today } = useClinicToday();
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<ServiceCategory>('procedure');
  const [appointmentType, setAppointmentType] = useState<AppointmentType | ''>('');
  const [testCode, setTestCode] = useState('');
  const [price, setPrice] = useState<PriceValues>({ unitPrice: '', taxRate: '0', validFrom: today });
  const form = usePriceChange(addServiceInput, saving);
  const { fields } = form;
  const input = { code, description, category, appointmentType: appointmentType || null, testCode, ...price };

  return (
    <Dialog title="Add a service" onClose={onClose} wide>
      <form onSubmit={(event) => form.submit(event, input, onClose)} noValidate>
        <div className="form-grid">
          <Field
            label="Code"
            hint="Such as PROC-DRESS."
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={fields.code}
          />
          <Field
            label="Description"
            className="span-2"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={fields.description}
          />
          <SelectField
            label="Kind"
            value={category}
            onChange={(e) => setCategory(e.target.value as ServiceCategory)}
            error={fields.category}
          >
            {SERVICE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {SERVICE_CATEGORY_LABELS[c]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Charged for every visit of type"
            value={appointmentType}
            onChange={(e) => setAppointmentType(e.target.value as AppointmentType | '')}
            error={fields.appointmentType}
          >
            <option value="">None (added by hand)</option>
            {APPOINTMENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {APPOINTMENT_TYPE_LABELS[type]}
              </option>
            ))}
          </SelectField>
          <Field
            label="Or for every test ordered as"
            hint="The test's code, such as FBC."
            value={testCode}
            onChange={(e) => setTestCode(e.target.value)}
            error={fields.testCode}
          />
          <PriceFields value={price} onChange={setPrice} fields={fields} today={today} />
        </div>
        <DialogFooter problem={form.problem} busy={saving.isPending} label="Add service" busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
