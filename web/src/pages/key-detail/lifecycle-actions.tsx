import type { KeyMetadata } from '@aws-sdk/client-kms';
import { useState } from 'preact/hooks';
import { cancelKeyDeletion, disableKey, enableKey, lifecycleActionsOf, scheduleKeyDeletion } from '../../api/key-lifecycle';
import { useConsole } from '../../console-context';
import { formatTime } from '../../ui/forms';
import { ActionNotices } from './action-notices';
import { DeletionDialog } from './deletion-dialog';
import { usePanelActions } from './panel-actions';

/** The buttons that move the key between states, each only where the key's state allows it. */
export function LifecycleActions({ metadata, onChanged }: { metadata: KeyMetadata; onChanged: () => void }) {
  const { clients } = useConsole();
  const action = usePanelActions();
  const [confirming, setConfirming] = useState(false);
  const keyId = metadata.KeyId!;
  const offered = lifecycleActionsOf(metadata);

  const schedule = (days: number) => {
    setConfirming(false);
    void action.run('schedule-deletion', () => scheduleKeyDeletion(clients.kms, keyId, days),
      `Deletion scheduled: the key will be deleted after ${days} days.`, onChanged);
  };

  return (
    <div class="lifecycle">
      <div class="actions">
        {offered.includes('enable') ? (
          <button type="button" class="primary" disabled={action.busy !== undefined}
            onClick={() => void action.run('enable', () => enableKey(clients.kms, keyId), 'Key enabled.', onChanged)}>
            Enable key
          </button>
        ) : null}
        {offered.includes('disable') ? (
          <button type="button" disabled={action.busy !== undefined}
            onClick={() => void action.run('disable', () => disableKey(clients.kms, keyId), 'Key disabled: it refuses cryptographic operations until enabled.', onChanged)}>
            Disable key
          </button>
        ) : null}
        {offered.includes('cancel-deletion') ? (
          <button type="button" class="primary" disabled={action.busy !== undefined}
            onClick={() => void action.run('cancel-deletion', () => cancelKeyDeletion(clients.kms, keyId), 'Deletion cancelled: the key is disabled; enable it to use it again.', onChanged)}>
            Cancel key deletion
          </button>
        ) : null}
        {offered.includes('schedule-deletion') ? (
          <button type="button" class="danger" disabled={action.busy !== undefined} onClick={() => setConfirming(true)}>
            Schedule key deletion
          </button>
        ) : null}
      </div>
      {metadata.KeyState === 'PendingDeletion' && metadata.DeletionDate ? (
        <p class="notice warning">This key is scheduled for deletion on {formatTime(metadata.DeletionDate)}. Until then it can be recovered.</p>
      ) : null}
      <ActionNotices action={action} />
      {confirming ? <DeletionDialog metadata={metadata} onConfirm={schedule} onCancel={() => setConfirming(false)} /> : null}
    </div>
  );
}
