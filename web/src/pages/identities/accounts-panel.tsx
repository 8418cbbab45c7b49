import { useState } from 'preact/hooks';
import { createAccount, listAccounts, type NewAccount } from '../../api/iam-accounts';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { Field, formatTime, inputValue } from '../../ui/forms';
import { Loading, Panel } from '../../ui/page';
import { useAction } from '../../ui/use-action';
import { OneTimeSecret } from './one-time-secret';

/**
 * The server's accounts, for the administrator (admin API ListAccounts and CreateAccount): a new account's root
 * access key is shown once. Shown to every account root, since only the server knows which root is the
 * administrator's; the others see the server's refusal.
 */
export function AccountsPanel() {
  const { session } = useConsole();
  const accounts = useAsync(() => listAccounts(session), [session]);
  const [accountId, setAccountId] = useState('');
  const [created, setCreated] = useState<NewAccount>();
  const create = useAction(async () => {
    setCreated(await createAccount(session, accountId.trim() || undefined));
    setAccountId('');
    accounts.reload();
  });
  const denied = accounts.error instanceof Error && accounts.error.name === 'AccessDeniedException';

  return (
    <Panel title="Accounts">
      {denied ? (
        <p class="hint">Only the administrator's root manages accounts: {accounts.error instanceof Error ? accounts.error.message : ''}</p>
      ) : (
        <>
          <form class="inline-form" onSubmit={(event) => { event.preventDefault(); void create.run(); }}>
            <Field label="Account ID (optional)" hint="12 digits; empty: a random one.">
              <input name="accountId" inputMode="numeric" maxLength={12} pattern="[0-9]{12}" autoComplete="off"
                value={accountId} onInput={(event) => setAccountId(inputValue(event))} />
            </Field>
            <button type="submit" class="primary" disabled={create.busy}>
              Create account
            </button>
          </form>
          {created ? (
            <OneTimeSecret
              title={`New account ${created.accountId}: its root's access key`}
              entries={[['Account ID', created.accountId], ['Access key ID', created.accessKeyId], ['Secret access key', created.secretAccessKey]]}
              onDismiss={() => setCreated(undefined)}
            />
          ) : null}
          <ErrorNotice error={create.error ?? accounts.error} />
          {accounts.error ? null : accounts.loading && !accounts.data ? (
            <Loading what="accounts" />
          ) : (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Account ID</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {(accounts.data ?? []).map((account) => (
                    <tr key={account.accountId}>
                      <td>
                        <span class="mono">{account.accountId}</span>
                        {account.accountId === session.accountId ? <span class="muted"> (this account)</span> : null}
                      </td>
                      <td class="nowrap">{formatTime(account.created)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
