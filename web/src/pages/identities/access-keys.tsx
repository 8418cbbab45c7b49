import { useState } from 'preact/hooks';
import { createAccessKey, deleteAccessKey, listAccessKeys, setAccessKeyStatus, type NewAccessKey } from '../../api/iam-access-keys';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/confirm';
import { ErrorNotice } from '../../ui/errors';
import { formatTime } from '../../ui/forms';
import { Loading } from '../../ui/page';
import { useAction } from '../../ui/use-action';
import { OneTimeSecret } from './one-time-secret';

/**
 * A user's access keys: create one (its secret shown once), deactivate or reactivate one (UpdateAccessKey), delete
 * one.
 */
export function AccessKeys({ userName }: { userName: string }) {
  const { clients } = useConsole();
  const keys = useAsync(() => listAccessKeys(clients.iam, userName), [clients, userName]);
  const [created, setCreated] = useState<NewAccessKey>();
  const [deleting, setDeleting] = useState<string>();
  const create = useAction(async () => {
    setCreated(await createAccessKey(clients.iam, userName));
    keys.reload();
  });
  const remove = useAction(async (accessKeyId: string) => {
    await deleteAccessKey(clients.iam, userName, accessKeyId);
    keys.reload();
  });
  const toggle = useAction(async (accessKeyId: string, status: 'Active' | 'Inactive') => {
    await setAccessKeyStatus(clients.iam, userName, accessKeyId, status);
    keys.reload();
  });

  return (
    <section class="subsection" aria-labelledby="access-keys-title">
      <div class="subsection-header">
        <h3 id="access-keys-title">Access keys</h3>
        <button type="button" onClick={() => void create.run()} disabled={create.busy}>
          Create access key
        </button>
      </div>
      {created ? (
        <OneTimeSecret
          title={`New access key for ${userName}`}
          entries={[['Access key ID', created.accessKeyId], ['Secret access key', created.secretAccessKey]]}
          onDismiss={() => setCreated(undefined)}
        />
      ) : null}
      <ErrorNotice error={create.error ?? remove.error ?? toggle.error ?? keys.error} />
      {keys.error ? null : keys.loading && !keys.data ? (
        <Loading what="access keys" />
      ) : (keys.data ?? []).length === 0 ? (
        <p class="empty">No access keys: this user cannot sign requests.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Access key ID</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(keys.data ?? []).map(({ AccessKeyId: id = '', Status, CreateDate }) => (
                <tr key={id}>
                  <td class="mono">{id}</td>
                  <td>{Status}</td>
                  <td class="nowrap">{formatTime(CreateDate)}</td>
                  <td class="row-actions">
                    <button
                      type="button"
                      aria-label={`${Status === 'Active' ? 'Deactivate' : 'Activate'} access key ${id}`}
                      onClick={() => void toggle.run(id, Status === 'Active' ? 'Inactive' : 'Active')}
                      disabled={toggle.busy}
                    >
                      {Status === 'Active' ? 'Deactivate' : 'Activate'}
                    </button>
                    <button type="button" aria-label={`Delete access key ${id}`} onClick={() => setDeleting(id)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">
        A user has at most two access keys. To rotate: create a new one, move its users to it, deactivate the old one, and
        delete it once nothing fails without it. An inactive key is refused until it is activated again.
      </p>
      {deleting ? (
        <ConfirmDialog
          title={`Delete access key ${deleting}?`}
          confirmLabel="Delete access key"
          danger
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setDeleting(undefined);
            void remove.run(deleting);
          }}
        >
          <p>Requests signed with this key are refused from now on. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
