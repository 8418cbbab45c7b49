import {
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  type GetKeyRotationStatusCommandOutput,
  type KeyMetadata,
  type KMSClient,
  type RotationsListEntry,
} from '@aws-sdk/client-kms';
import { collectPages } from './key-pages';

/**
 * How a key rotates ("Rotating AWS KMS keys"): a symmetric encryption key with material made by KMS rotates
 * automatically and on demand; one with imported material only on demand (a newly imported material becomes
 * current); every other key (asymmetric, HMAC, custom key stores) does not rotate at all.
 */
export type RotationSupport = 'automatic-and-on-demand' | 'on-demand' | 'none';

export function rotationSupportOf(metadata: KeyMetadata): RotationSupport {
  if (metadata.KeySpec !== 'SYMMETRIC_DEFAULT') return 'none';
  if (metadata.Origin === 'AWS_KMS') return 'automatic-and-on-demand';
  return metadata.Origin === 'EXTERNAL' ? 'on-demand' : 'none';
}

/** A replica shares its primary's rotation: its settings change, and it rotates, only through the primary. */
export function isReplica(metadata: KeyMetadata): boolean {
  return metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA';
}

/** EnableKeyRotation's `RotationPeriodInDays`: 90 to 2560 days, 365 when not given. */
export const ROTATION_PERIOD_DAYS = { min: 90, max: 2560, default: 365 } as const;

export interface RotationState {
  /** Undefined for a key that rotates only on demand (GetKeyRotationStatus refuses it). */
  readonly status?: GetKeyRotationStatusCommandOutput;
  /** Every material version, oldest first: the first one (no rotation date) and each rotation's. */
  readonly history: readonly RotationsListEntry[];
}

export async function loadRotation(kms: KMSClient, keyId: string, support: RotationSupport): Promise<RotationState> {
  const [status, history] = await Promise.all([
    support === 'automatic-and-on-demand' ? kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })) : undefined,
    collectPages(async (marker) => {
      const page = await kms.send(new ListKeyRotationsCommand({
        KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 1000, ...(marker ? { Marker: marker } : {}),
      }));
      return { items: page.Rotations ?? [], ...(page.Truncated && page.NextMarker ? { nextMarker: page.NextMarker } : {}) };
    }),
  ]);
  return { ...(status ? { status } : {}), history };
}

/** Turns automatic rotation on with a period (or changes the period), or off. */
export async function saveAutomaticRotation(kms: KMSClient, keyId: string, enabled: boolean, periodInDays: number): Promise<void> {
  if (enabled) await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: periodInDays }));
  else await kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
}

export async function rotateNow(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
}
