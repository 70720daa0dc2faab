import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { weekHoursText, type WeekHoursText } from '../../../../shared/clinic-settings';
import { createStaffInput, updateStaffInput, type StaffRow } from '../../../../shared/staff';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, SelectField } from '../../ui/Field';
import { roleName } from '../../ui/names';
import { WeekHoursFields } from '../../ui/WeekHoursFields';
import { useSignedIn } from '../../ui/useSignedIn';

interface StaffDialogProps {
  /** Null: a new staff member. */
  member: StaffRow | null;
  onClose(): void;
}

/** Adding or editing a staff member: name, email (their sign-in), role; a doctor's own hours. */
export function StaffDialog({ member, onClose }: StaffDialogProps) {
  const trpc = useTRPC();
  const roles = useQuery(trpc.staff.roles.queryOptions());
  const refresh = useRefresh(trpc.staff, trpc.appointments);
  const onServer = useQuery(trpc.system.status.queryOptions()).data?.kind === 'postgres';
  const { user } = useSignedIn();
  const [form, setForm] = useState({
    title: member?.title ?? '',
    firstName: member?.first_name ?? '',
    lastName: member?.last_name ?? '',
    email: member?.email ?? '',
    phone: member?.phone ?? '',
    roleId: member?.role_id ?? '',
    specialization: member?.specialization ?? '',
    defaultSlotMinutes: String(member?.default_slot_minutes ?? 15),
    temporaryPassword: '',
  });
  const [ownHours, setOwnHours] = useState(member?.working_hours != null);
  const [hours, setHours] = useState<WeekHoursText>(weekHoursText(member?.working_hours));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const options = { onSuccess: () => refresh().then(onClose), onError: (error: unknown) => setErrors(formErrorsOf(error)) };
  const create = useMutation(trpc.staff.create.mutationOptions(options));
  const update = useMutation(trpc.staff.update.mutationOptions(options));
  const busy = create.isPending || update.isPending;

  const role = roles.data?.find((candidate) => candidate.id === form.roleId);
  const isDoctor = role?.name === 'doctor';
  const emailChanged = member !== null && member.email.toLowerCase() !== form.email.trim().toLowerCase();
  const asksPassword = member === null || (emailChanged && onServer);
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const details = {
      ...form,
      defaultSlotMinutes: Number(form.defaultSlotMinutes),
      temporaryPassword: asksPassword ? form.temporaryPassword : undefined,
      workingHours: isDoctor && ownHours ? hours : null,
    };
    if (member) {
      const checked = checkForm(updateStaffInput, { ...details, id: member.id });
      setErrors({ fields: checked.fields, general: null });
      if (checked.ok) update.mutate({ ...details, id: member.id });
    } else {
      const checked = checkForm(createStaffInput, details);
      setErrors({ fields: checked.fields, general: null });
      if (checked.ok) create.mutate({ ...details, temporaryPassword: form.temporaryPassword });
    }
  }

  const fields = errors.fields;
  return (
    <Dialog title={member ? `Edit ${member.first_name} ${member.last_name}` : 'Add a staff member'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label="Title" hint="Dr, Mr, Ms…" value={form.title} onChange={set('title')} error={fields.title} />
          <Field label="First name" required autoFocus value={form.firstName} onChange={set('firstName')} error={fields.firstName} />
          <Field label="Last name" required value={form.lastName} onChange={set('lastName')} error={fields.lastName} />
          <Field
            label="Email"
            hint="They sign in with it"
            required
            type="email"
            className="span-2"
            value={form.email}
            onChange={set('email')}
            error={fields.email}
          />
          <Field label="Phone" type="tel" value={form.phone} onChange={set('phone')} error={fields.phone} />
          <SelectField
            label="Role"
            required
            value={form.roleId}
            onChange={set('roleId')}
            error={fields.roleId}
            hint={member?.id === user.id ? 'Your own role: keep one administrator at least' : undefined}
          >
            <option value="">Choose…</option>
            {roles.data?.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {roleName(candidate.name)}
              </option>
            ))}
          </SelectField>
          {isDoctor && (
            <>
              <Field
                label="Specialization"
                className="span-2"
                value={form.specialization}
                onChange={set('specialization')}
                error={fields.specialization}
              />
              <Field
                label="Usual appointment (minutes)"
                type="number"
                min={5}
                max={240}
                step={5}
                value={form.defaultSlotMinutes}
                onChange={set('defaultSlotMinutes')}
                error={fields.defaultSlotMinutes}
              />
            </>
          )}
          {asksPassword && (
            <Field
              label="Temporary password"
              hint={
                member
                  ? 'A new email renames their login: they sign in with this, then choose their own'
                  : 'They must change it at first sign-in'
              }
              required
              type="text"
              autoComplete="off"
              spellCheck={false}
              className="span-3"
              value={form.temporaryPassword}
              onChange={set('temporaryPassword')}
              error={fields.temporaryPassword}
            />
          )}
        </div>
        {isDoctor && (
          <>
            <label className="check">
              <input type="checkbox" checked={ownHours} onChange={(event) => setOwnHours(event.target.checked)} />
              Their own working hours on the calendar (otherwise the clinic's opening hours)
            </label>
            {ownHours && <WeekHoursFields legend="Working hours" value={hours} onChange={setHours} errors={fields} prefix="workingHours" />}
          </>
        )}
        <DialogFooter
          problem={errors.general}
          busy={busy}
          label={member ? 'Save changes' : 'Add staff member'}
          busyLabel="Saving…"
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
