import type { User } from '@aws-sdk/client-iam';
import { useState } from 'preact/hooks';
import { createUser, deleteUser, listUsers } from '../../api/iam-users';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/confirm';
import { ErrorNotice } from '../../ui/errors';
import { Field, inputValue } from '../../ui/forms';
import { Loading, Panel } from '../../ui/page';
import { useAction } from '../../ui/use-action';
import { IdentityTable, type IdentityRow } from './identity-table';

/**
 * The account's IAM users: create one by name, choose one to manage its access keys and inline policies, delete
 * one (IAM refuses while it still has access keys or inline policies, and the refusal is shown here).
 */
export function UsersPanel({ selected, onSelect }: { selected: string | undefined; onSelect: (userName: string | undefined) => void }) {
  const { clients } = useConsole();
  const users = useAsync(() => listUsers(clients.iam), [clients]);
  const [userName, setUserName] = useState('');
  const [deleting, setDeleting] = useState<string>();
  const create = useAction(async () => {
    const created = await createUser(clients.iam, userName.trim());
    setUserName('');
    users.reload();
    if (created?.UserName) onSelect(created.UserName);
  });
  const remove = useAction(async (name: string) => {
    await deleteUser(clients.iam, name);
    if (selected === name) onSelect(undefined);
    users.reload();
  });

  return (
    <Panel title="Users">
      <form class="inline-form" onSubmit={(event) => { event.preventDefault(); void create.run(); }}>
        <Field label="User name" hint="Letters, digits and +=,.@_- (up to 64).">
          <input name="userName" required maxLength={64} spellcheck={false} autoComplete="off"
            value={userName} onInput={(event) => setUserName(inputValue(event))} />
        </Field>
        <button type="submit" class="primary" disabled={create.busy}>
          Create user
        </button>
      </form>
      <ErrorNotice error={create.error ?? remove.error ?? users.error} />
      {users.error ? null : users.loading && !users.data ? (
        <Loading what="users" />
      ) : (
        <IdentityTable kind="user" rows={(users.data ?? []).map(userRow)} selected={selected} onSelect={onSelect} onDelete={setDeleting} />
      )}
      {deleting ? (
        <ConfirmDialog
          title={`Delete user ${deleting}?`}
          confirmLabel="Delete user"
          danger
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setDeleting(undefined);
            void remove.run(deleting);
          }}
        >
          <p>Requests signed with its access keys stop working. IAM refuses while the user still has access keys or inline policies.</p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}

function userRow({ UserName, Arn, CreateDate }: User): IdentityRow {
  return { name: UserName ?? '', arn: Arn, created: CreateDate };
}
