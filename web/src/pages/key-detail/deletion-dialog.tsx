import type { KeyMetadata } from '@aws-sdk/client-kms';
import { useState } from 'preact/hooks';
import { DELETION_WINDOW_DAYS } from '../../api/key-lifecycle';
import { ConfirmDialog } from '../../ui/confirm';
import { Field, inputValue } from '../../ui/forms';

/**
 * The explicit confirmation before ScheduleKeyDeletion: the waiting period (7–30 days, 30 by default) and a box the
 * user must tick saying they know what deletion means. Both are `required` form fields, so the dialog's submit
 * button does nothing (the browser says why) until they are right.
 */
export function DeletionDialog({ metadata, onConfirm, onCancel }: {
  metadata: KeyMetadata;
  onConfirm: (days: number) => void;
  onCancel: () => void;
}) {
  const [days, setDays] = useState(String(DELETION_WINDOW_DAYS.default));
  const [understood, setUnderstood] = useState(false);
  const replicas = metadata.MultiRegionConfiguration?.ReplicaKeys?.length ?? 0;
  return (
    <ConfirmDialog title="Schedule key deletion" confirmLabel="Schedule deletion" danger onCancel={onCancel}
      onConfirm={() => { if (understood) onConfirm(Number(days)); }}>
      <p>
        After the waiting period the key <span class="mono">{metadata.KeyId}</span> and all its key material are deleted
        for good: nothing encrypted under it can ever be decrypted again. Until then the key cannot be used, and the
        deletion can be cancelled.
      </p>
      {replicas > 0 ? (
        <p class="notice warning">
          This primary key has {replicas} replica key{replicas === 1 ? '' : 's'}: it waits (PendingReplicaDeletion)
          until they are deleted.
        </p>
      ) : null}
      <Field label="Waiting period (days)" hint={`${DELETION_WINDOW_DAYS.min} to ${DELETION_WINDOW_DAYS.max} days.`}>
        <input type="number" name="pendingWindowInDays" required min={DELETION_WINDOW_DAYS.min} max={DELETION_WINDOW_DAYS.max} step={1}
          value={days} onInput={(e) => setDays(inputValue(e))} />
      </Field>
      <label class="check">
        <input type="checkbox" name="understood" required checked={understood} onChange={(e) => setUnderstood((e.target as HTMLInputElement).checked)} />
        I understand that data encrypted under this key cannot be decrypted once the key is deleted.
      </label>
    </ConfirmDialog>
  );
}
