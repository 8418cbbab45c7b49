import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ScheduleKeyDeletionCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';

/** ScheduleKeyDeletion's waiting period: 7 to 30 days (the live service's limits), 30 when not given. */
export const DELETION_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;

/** The key's metadata (DescribeKey, which also resolves an alias name or ARN to the key). */
export async function describeKey(kms: KMSClient, keyId: string): Promise<KeyMetadata> {
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  if (!KeyMetadata) throw new Error('DescribeKey answered without metadata');
  return KeyMetadata;
}

/** What the key's state lets a user do to it next, in the order the page offers the actions. */
export type LifecycleAction = 'enable' | 'disable' | 'schedule-deletion' | 'cancel-deletion';

/**
 * The lifecycle actions that make sense in the key's state ("Key states of AWS KMS keys"): a key pending deletion
 * can only have its deletion cancelled; any other can be scheduled for deletion, and enabled or disabled when it
 * is the other one. A key awaiting its imported material (PendingImport) cannot be enabled until it has some.
 */
export function lifecycleActionsOf(metadata: KeyMetadata): readonly LifecycleAction[] {
  switch (metadata.KeyState) {
    case 'PendingDeletion':
    case 'PendingReplicaDeletion':
      return ['cancel-deletion'];
    case 'Enabled':
      return ['disable', 'schedule-deletion'];
    case 'Disabled':
      return ['enable', 'schedule-deletion'];
    default:
      return ['schedule-deletion'];
  }
}

export async function enableKey(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new EnableKeyCommand({ KeyId: keyId }));
}

export async function disableKey(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new DisableKeyCommand({ KeyId: keyId }));
}

/** Schedules the key's deletion after `days`; returns the date it will be deleted. */
export async function scheduleKeyDeletion(kms: KMSClient, keyId: string, days: number): Promise<Date | undefined> {
  const { DeletionDate } = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: days }));
  return DeletionDate;
}

/** Cancels a scheduled deletion: the key comes back Disabled, as AWS leaves it. */
export async function cancelKeyDeletion(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
}
