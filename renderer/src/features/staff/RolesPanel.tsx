import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { PERMISSIONS, type Permission } from '../../../../shared/permissions';
import { PERMISSION_LABELS, roleInput, type RoleRow } from '../../../../shared/staff';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { roleName } from '../../ui/names';

/** The roles and what each may do; a change applies to everyone holding the role at once. */
export function RolesPanel() {
  const trpc = useTRPC();
  const roles = useQuery(trpc.staff.roles.queryOptions());
  const [editing, setEditing] = useState<RoleRow | 'new' | null>(null);
  return (
    <section className="panel" aria-labelledby="roles-title">
      <div className="panel-heading">
        <h2 id="roles-title">Roles</h2>
        <button type="button" className="button-secondary" onClick={() => setEditing('new')}>
          New role
        </button>
      </div>
      <ul className="role-list">
        {roles.data?.map((role) => (
          <li key={role.id}>
            <div>
              <strong>{roleName(role.name)}</strong>
              <span className="muted">
                {' '}
                · {role.members} {role.members === 1 ? 'person' : 'people'} · {role.permissions.length} permissions
              </span>
              {role.description && <p className="muted">{role.description}</p>}
            </div>
            <button
              type="button"
              className="button-secondary button-small"
              aria-label={`Permissions of ${roleName(role.name)}`}
              onClick={() => setEditing(role)}
            >
              Permissions…
            </button>
          </li>
        ))}
      </ul>
      {editing && <RoleDialog role={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

/** The permission names grouped by what comes before the dot: patients, appointments, … */
const GROUPS = [...new Set(PERMISSIONS.map((permission) => permission.split('.')[0]!))].map((group) => ({
  group,
  permissions: PERMISSIONS.filter((permission) => permission.startsWith(`${group}.`)),
}));

function RoleDialog({ role, onClose }: { role: RoleRow | null; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.staff);
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [granted, setGranted] = useState<ReadonlySet<Permission>>(new Set(role?.permissions ?? []));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const options = { onSuccess: () => refresh().then(onClose), onError: (error: unknown) => setErrors(formErrorsOf(error)) };
  const create = useMutation(trpc.staff.createRole.mutationOptions(options));
  const update = useMutation(trpc.staff.updateRole.mutationOptions(options));
  const busy = create.isPending || update.isPending;

  const toggle = (permission: Permission, on: boolean) => {
    const next = new Set(granted);
    if (on) next.add(permission);
    else next.delete(permission);
    setGranted(next);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    // In the list's order, so the audit trail shows only what really changed.
    const input = { name, description, permissions: PERMISSIONS.filter((permission) => granted.has(permission)) };
    const checked = checkForm(roleInput, input);
    setErrors({ fields: checked.fields, general: null });
    if (!checked.ok || busy) return;
    if (role) update.mutate({ ...checked.value, id: role.id });
    else create.mutate(checked.value);
  }

  return (
    <Dialog title={role ? `Permissions of ${roleName(role.name)}` : 'New role'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field
            label="Name"
            hint={role?.is_system_role ? 'A built-in role keeps its name' : 'Lowercase, like practice_manager'}
            required
            readOnly={role?.is_system_role}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={errors.fields.name}
          />
          <Field
            label="Description"
            className="span-2"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            error={errors.fields.description}
          />
        </div>
        <fieldset className="permission-groups" aria-describedby={errors.fields.permissions ? 'permissions-error' : undefined}>
          <legend>What this role may do</legend>
          {GROUPS.map(({ group, permissions }) => (
            <div key={group} className="permission-group">
              {permissions.map((permission) => (
                <label key={permission} className="check">
                  <input type="checkbox" checked={granted.has(permission)} onChange={(event) => toggle(permission, event.target.checked)} />
                  {PERMISSION_LABELS[permission]}
                </label>
              ))}
            </div>
          ))}
          {errors.fields.permissions && (
            <p className="field-error" id="permissions-error">
              {errors.fields.permissions}
            </p>
          )}
        </fieldset>
        <DialogFooter
          problem={errors.general}
          busy={busy}
          label={role ? 'Save permissions' : 'Create role'}
          busyLabel="Saving…"
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
