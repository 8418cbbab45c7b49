import type { KeyMetadata } from '@aws-sdk/client-kms';
import { isReplica, loadRotation, rotateNow, rotationSupportOf, type RotationSupport } from '../../api/key-rotation';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { Loading, Panel } from '../../ui/page';
import { ActionNotices } from './action-notices';
import { AutomaticRotationForm } from './automatic-rotation-form';
import { RotationHistory } from './rotation-history';
import { usePanelActions } from './panel-actions';

/**
 * Rotation, for the keys that rotate (symmetric encryption keys): automatic rotation and its period where the
 * material is made here, "Rotate now", and every material version the key has had. Other keys get no panel.
 */
export function RotationPanel({ metadata, onChanged }: { metadata: KeyMetadata; onChanged: () => void }) {
  const support = rotationSupportOf(metadata);
  if (support === 'none') return null;
  return <RotationSettings metadata={metadata} support={support} onChanged={onChanged} />;
}

function RotationSettings({ metadata, support, onChanged }: {
  metadata: KeyMetadata;
  support: Exclude<RotationSupport, 'none'>;
  /** Called after a rotation: the key's metadata names its new current material. */
  onChanged: () => void;
}) {
  const { clients } = useConsole();
  const keyId = metadata.KeyId!;
  const rotation = useAsync(() => loadRotation(clients.kms, keyId, support), [clients, keyId, support]);
  const action = usePanelActions();
  const replica = isReplica(metadata);
  const primaryArn = metadata.MultiRegionConfiguration?.PrimaryKey?.Arn;

  const rotateButton = replica ? null : (
    <button type="button" disabled={action.busy !== undefined}
      onClick={() => void action.run('rotate', () => rotateNow(clients.kms, keyId), 'Rotated: new key material is now current.', () => { rotation.reload(); onChanged(); })}>
      {action.busy === 'rotate' ? 'Rotating…' : 'Rotate now'}
    </button>
  );

  return (
    <Panel title="Rotation" actions={rotateButton}>
      {replica ? (
        <p class="field-hint">
          A replica key rotates with its primary key (<span class="mono">{primaryArn}</span>): change its rotation there.
        </p>
      ) : null}
      {support === 'on-demand' ? (
        <p class="field-hint">
          A key with imported key material rotates on demand only: import new key material, then choose Rotate now.
        </p>
      ) : null}
      <ActionNotices action={action} />
      <ErrorNotice error={rotation.error} />
      {rotation.loading && !rotation.data ? <Loading what="rotation" /> : null}
      {rotation.data?.status ? (
        <AutomaticRotationForm keyId={keyId} status={rotation.data.status} readOnly={replica} onSaved={rotation.reload} />
      ) : null}
      {rotation.data ? <RotationHistory entries={rotation.data.history} imported={support === 'on-demand'} /> : null}
    </Panel>
  );
}
