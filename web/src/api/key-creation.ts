import { CreateKeyCommand, type CreateKeyCommandInput, type KMSClient, type Tag } from '@aws-sdk/client-kms';
import { createAlias } from './key-aliases';
import type { KeySpecChoice, ModelKeyUsage } from './key-specs';

/** Where a new key's material comes from: made by the server, or imported later (ImportKeyMaterial). */
export type NewKeyOrigin = 'AWS_KMS' | 'EXTERNAL';

/** What the create page asks for, checked (the alias is a full `alias/…` name, the tags are valid). */
export interface NewKey {
  readonly spec: KeySpecChoice;
  readonly usage: ModelKeyUsage;
  readonly origin: NewKeyOrigin;
  readonly description: string;
  readonly multiRegion: boolean;
  readonly tags: readonly Tag[];
  readonly aliasName?: string;
}

/** What came of creating a key: its id, and the alias's refusal when the key was made but the alias was not. */
export interface CreatedKey {
  readonly keyId: string;
  readonly aliasError?: unknown;
}

/** The CreateKey request for a new key: members left out where AWS's default is what was chosen. */
export function createKeyInput(key: NewKey): CreateKeyCommandInput {
  return {
    KeySpec: key.spec.spec,
    KeyUsage: key.usage,
    ...(key.origin === 'EXTERNAL' ? { Origin: 'EXTERNAL' } : {}),
    ...(key.description.trim() ? { Description: key.description.trim() } : {}),
    ...(key.multiRegion ? { MultiRegion: true } : {}),
    ...(key.tags.length ? { Tags: [...key.tags] } : {}),
  };
}

/**
 * Creates the key, then its alias. CreateKey has no alias member, so these are two requests: when the second is
 * refused the key exists all the same, and the caller is told both things rather than only the failure.
 */
export async function createKeyWithAlias(kms: KMSClient, key: NewKey): Promise<CreatedKey> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand(createKeyInput(key)));
  const keyId = KeyMetadata?.KeyId;
  if (!keyId) throw new Error('CreateKey answered without a key id');
  if (key.aliasName === undefined) return { keyId };
  try {
    await createAlias(kms, keyId, key.aliasName);
    return { keyId };
  } catch (aliasError) {
    return { keyId, aliasError };
  }
}
