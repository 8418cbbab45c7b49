import type { Role } from '@aws-sdk/client-iam';
import { useState } from 'preact/hooks';
import { deleteRole, listRoles } from '../../api/iam-roles';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/confirm';
import { ErrorNotice } from '../../ui/errors';
import { Loading, Panel } from '../../ui/page';
import { useAction } from '../../ui/use-action';
import { IdentityTable, type IdentityRow } from './identity-table';
import { CreateRoleForm } from './create-role-form';

/**
 * The account's IAM roles: create one with its trust policy, choose one to see its trust policy and manage its
 * inline policies, delete one (IAM refuses while it still has inline policies).
 */
export function RolesPanel({ selected, onSelect }: { selected: string | undefined; onSelect: (roleName: string | undefined) => void }) {
  const { clients } = useConsole();
  const roles = useAsync(() => listRoles(clients.iam), [clients]);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string>();
  const remove = useAction(async (name: string) => {
    await deleteRole(clients.iam, name);
    if (selected === name) onSelect(undefined);
    roles.reload();
  });
  const created = (roleName: string) => {
    setCreating(false);
    roles.reload();
    onSelect(roleName);
  };

  return (
    <Panel
      title="Roles"
      actions={
        <button type="button" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {creating ? 'Cancel new role' : 'New role'}
        </button>
      }
    >
      {creating ? <CreateRoleForm onCreated={created} /> : null}
      <ErrorNotice error={remove.error ?? roles.error} />
      {roles.error ? null : roles.loading && !roles.data ? (
        <Loading what="roles" />
      ) : (
        <IdentityTable kind="role" describes rows={(roles.data ?? []).map(roleRow)} selected={selected} onSelect={onSelect} onDelete={setDeleting} />
      )}
      {deleting ? (
        <ConfirmDialog
          title={`Delete role ${deleting}?`}
          confirmLabel="Delete role"
          danger
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setDeleting(undefined);
            void remove.run(deleting);
          }}
        >
          <p>Nobody can assume it any more; sessions already issued last until they expire. IAM refuses while the role still has inline policies.</p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}

function roleRow({ RoleName, Arn, Description, CreateDate }: Role): IdentityRow {
  return { name: RoleName ?? '', arn: Arn, description: Description, created: CreateDate };
}
