import type { GrantListEntry, KeyMetadata } from '@aws-sdk/client-kms';
import { useState } from 'preact/hooks';
import { listGrants, retireGrant, revokeGrant } from '../../api/key-grants';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/confirm';
import { ErrorNotice } from '../../ui/errors';
import { Loading, Panel } from '../../ui/page';
import { ActionNotices } from './action-notices';
import { GrantForm } from './grant-form';
import { GrantTable, type GrantEnding } from './grant-table';
import { usePanelActions } from './panel-actions';

/** The key's grants (ListGrants), retiring or revoking each after a confirmation, and a form to create one. */
export function GrantsPanel({ metadata }: { metadata: KeyMetadata }) {
  const { clients } = useConsole();
  const keyId = metadata.KeyId!;
  const grants = useAsync(() => listGrants(clients.kms, keyId), [clients, keyId]);
  const action = usePanelActions();
  const [ending, setEnding] = useState<{ kind: GrantEnding; grant: GrantListEntry }>();

  const end = () => {
    if (!ending) return;
    const { kind, grant } = ending;
    setEnding(undefined);
    const grantId = grant.GrantId!;
    void action.run(kind, () => (kind === 'retire' ? retireGrant(clients.kms, metadata.Arn!, grantId) : revokeGrant(clients.kms, keyId, grantId)),
      `Grant ${grant.Name || grantId} ${kind === 'retire' ? 'retired' : 'revoked'}.`, grants.reload);
  };

  return (
    <Panel title="Grants">
      <ErrorNotice error={grants.error} />
      {grants.loading && !grants.data ? <Loading what="grants" /> : null}
      {grants.data ? <GrantTable grants={grants.data} busy={action.busy !== undefined} onEnd={(kind, grant) => setEnding({ kind, grant })} /> : null}
      <ActionNotices action={action} />
      <GrantForm metadata={metadata} onCreated={grants.reload} />
      {ending ? (
        <ConfirmDialog title={ending.kind === 'retire' ? 'Retire grant' : 'Revoke grant'} confirmLabel={ending.kind === 'retire' ? 'Retire grant' : 'Revoke grant'}
          danger onConfirm={end} onCancel={() => setEnding(undefined)}>
          <p>
            The grant <span class="mono">{ending.grant.Name || ending.grant.GrantId}</span> to{' '}
            <span class="mono">{ending.grant.GranteePrincipal}</span> ends now: what it allows is refused from the next request on.
          </p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}
