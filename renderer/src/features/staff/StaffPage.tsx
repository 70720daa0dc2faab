import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { StaffRow } from '../../../../shared/staff';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { formatInstant } from '../../ui/dates';
import { roleName } from '../../ui/names';
import { useSignedIn } from '../../ui/useSignedIn';
import { DisableDialog } from './DisableDialog';
import { PasswordDialog } from './PasswordDialog';
import { RolesPanel } from './RolesPanel';
import { StaffDialog } from './StaffDialog';

type Action = { kind: 'add' } | { kind: 'edit' | 'password' | 'disable' | 'enable'; member: StaffRow };

/** The clinic's staff: add, edit, reset a password, disable (never delete) or enable again; and the roles. */
export function StaffPage() {
  const { clinic, user } = useSignedIn();
  const trpc = useTRPC();
  const staff = useQuery(trpc.staff.list.queryOptions());
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);

  return (
    <div className="staff-page">
      <section className="panel" aria-labelledby="staff-title">
        <div className="panel-heading">
          <h2 id="staff-title">Staff</h2>
          <button type="button" className="button-primary" onClick={() => setAction({ kind: 'add' })}>
            Add a staff member
          </button>
        </div>
        {staff.isError && <p className="form-problem">{formErrorsOf(staff.error).general}</p>}
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Last signed in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.data?.map((member) => {
              const name = `${member.first_name} ${member.last_name}`;
              return (
                <tr key={member.id} className={member.is_active ? undefined : 'row-disabled'}>
                  <td>
                    <strong>{[member.title, name].filter(Boolean).join(' ')}</strong>
                    {!member.is_active && <span className="status-tag status-cancelled">Disabled</span>}
                    {member.is_active && member.password_change_required && <span className="status-tag">Temporary password</span>}
                  </td>
                  <td>{member.email}</td>
                  <td>{roleName(member.role)}</td>
                  <td>{member.last_login_at ? formatInstant(member.last_login_at, clinic.language, clinic.timezone) : 'Never'}</td>
                  <td>
                    <div className="row-actions">
                      {member.is_active ? (
                        <>
                          <button
                            type="button"
                            className="button-secondary button-small"
                            aria-label={`Edit ${name}`}
                            onClick={() => setAction({ kind: 'edit', member })}
                          >
                            Edit…
                          </button>
                          <button
                            type="button"
                            className="button-secondary button-small"
                            aria-label={`Reset the password of ${name}`}
                            onClick={() => setAction({ kind: 'password', member })}
                          >
                            Reset password…
                          </button>
                          {member.id !== user.id && (
                            <button
                              type="button"
                              className="button-quiet button-small"
                              aria-label={`Disable ${name}`}
                              onClick={() => setAction({ kind: 'disable', member })}
                            >
                              Disable…
                            </button>
                          )}
                        </>
                      ) : (
                        <button
                          type="button"
                          className="button-secondary button-small"
                          aria-label={`Enable ${name}`}
                          onClick={() => setAction({ kind: 'enable', member })}
                        >
                          Enable…
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <RolesPanel />
      {action?.kind === 'add' && <StaffDialog member={null} onClose={close} />}
      {action?.kind === 'edit' && <StaffDialog member={action.member} onClose={close} />}
      {(action?.kind === 'password' || action?.kind === 'enable') && (
        <PasswordDialog member={action.member} enabling={action.kind === 'enable'} onClose={close} />
      )}
      {action?.kind === 'disable' && <DisableDialog member={action.member} onClose={close} />}
    </div>
  );
}
