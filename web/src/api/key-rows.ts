import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';

/** One line of the keys list: the key's metadata, its aliases and whether it rotates automatically. */
export interface KeyRow {
  readonly metadata: KeyMetadata;
  readonly aliases: readonly string[];
  /** Undefined where rotation does not apply (asymmetric, HMAC, imported material, pending deletion...). */
  readonly rotates?: boolean;
}

export interface KeyPage {
  readonly rows: readonly KeyRow[];
  /** The marker of the next page, when there is one. */
  readonly nextMarker?: string;
}

/**
 * One page of keys, as the AWS console builds it: ListKeys for the page, then each key's metadata, aliases and
 * rotation status in parallel. The cost is that of one page whatever the number of keys in the account, so the
 * list stays as fast with 10,000 keys as with 10.
 */
export async function loadKeyPage(kms: KMSClient, limit: number, marker: string | undefined): Promise<KeyPage> {
  const listed = await kms.send(new ListKeysCommand({ Limit: limit, ...(marker ? { Marker: marker } : {}) }));
  const rows = await Promise.all((listed.Keys ?? []).map((key) => loadKeyRow(kms, key.KeyId!)));
  return { rows, ...(listed.Truncated && listed.NextMarker ? { nextMarker: listed.NextMarker } : {}) };
}

export async function loadKeyRow(kms: KMSClient, keyId: string): Promise<KeyRow> {
  const [described, aliases] = await Promise.all([
    kms.send(new DescribeKeyCommand({ KeyId: keyId })),
    kms.send(new ListAliasesCommand({ KeyId: keyId })),
  ]);
  const metadata = described.KeyMetadata!;
  const rotates = rotationApplies(metadata) ? await rotationOf(kms, keyId) : undefined;
  return {
    metadata,
    aliases: (aliases.Aliases ?? []).map((alias) => alias.AliasName!).filter(Boolean),
    ...(rotates === undefined ? {} : { rotates }),
  };
}

/** Automatic rotation exists for symmetric encryption keys whose material KMS made (AWS: "Rotating AWS KMS keys"). */
function rotationApplies(metadata: KeyMetadata): boolean {
  return metadata.KeySpec === 'SYMMETRIC_DEFAULT' && metadata.Origin === 'AWS_KMS' && metadata.KeyState !== 'PendingDeletion';
}

async function rotationOf(kms: KMSClient, keyId: string): Promise<boolean | undefined> {
  try {
    return (await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled ?? false;
  } catch {
    return undefined; // refused for this key (a state or a kind the rule above does not foresee): shown as "—"
  }
}

/** Whether a row matches a search text (key id, ARN, alias or description, case-insensitive). */
export function matchesSearch(row: KeyRow, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  const { KeyId, Arn, Description } = row.metadata;
  return [KeyId, Arn, Description, ...row.aliases].some((value) => value?.toLowerCase().includes(needle));
}
