import {
  CreateGrantCommand,
  ListGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type CreateGrantCommandInput,
  type GrantListEntry,
  type GrantOperation,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { collectPages } from './key-pages';

/** Operations every grant may allow, whatever the key. */
const COMMON: readonly GrantOperation[] = ['DescribeKey', 'CreateGrant', 'RetireGrant'];

/**
 * The grant operations AWS accepts for a key ("Grant operations" in AWS's guide): those of its key usage, less the
 * data key operations of a key that wraps none (only symmetric keys do) and GetPublicKey of a key without a
 * public key. Offering only these spares the user a ValidationException.
 */
export function grantOperationsFor(metadata: KeyMetadata): readonly GrantOperation[] {
  const symmetric = metadata.KeySpec === 'SYMMETRIC_DEFAULT';
  switch (metadata.KeyUsage) {
    case 'ENCRYPT_DECRYPT':
      return symmetric
        ? ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
          'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', ...COMMON]
        : ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey', ...COMMON];
    case 'SIGN_VERIFY':
      return ['Sign', 'Verify', 'GetPublicKey', ...COMMON];
    case 'GENERATE_VERIFY_MAC':
      return ['GenerateMac', 'VerifyMac', ...COMMON];
    case 'KEY_AGREEMENT':
      return ['DeriveSharedSecret', 'GetPublicKey', ...COMMON];
    default:
      return COMMON;
  }
}

/** Encryption context constraints mean something only on a key whose ciphertexts bind a context: a symmetric one. */
export function contextConstraintsApply(metadata: KeyMetadata): boolean {
  return metadata.KeySpec === 'SYMMETRIC_DEFAULT';
}

export type ConstraintKind = 'none' | 'equals' | 'subset';

/** A grant as the create form holds it. */
export interface GrantDraft {
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string;
  readonly name: string;
  readonly operations: readonly GrantOperation[];
  readonly constraintKind: ConstraintKind;
  /** `key=value`, one pair a line (split at the first `=`). */
  readonly context: string;
}

/**
 * The CreateGrant request a draft describes, or what is missing from it in words.
 * @example createGrantInput(keyId, { ...draft, constraintKind: 'equals', context: 'tenant=acme' }).input?.Constraints;
 *   // { EncryptionContextEquals: { tenant: 'acme' } }
 */
export function createGrantInput(keyId: string, draft: GrantDraft): { input: CreateGrantCommandInput; problem?: undefined } | { problem: string } {
  const grantee = draft.granteePrincipal.trim();
  if (!grantee) return { problem: 'Enter the grantee principal (an account id or an IAM ARN).' };
  if (draft.operations.length === 0) return { problem: 'Choose at least one operation.' };
  let context: Record<string, string> | undefined;
  if (draft.constraintKind !== 'none') {
    const parsed = encryptionContextOf(draft.context);
    if ('problem' in parsed) return { problem: parsed.problem };
    context = parsed.context;
  }
  const retiring = draft.retiringPrincipal.trim();
  const name = draft.name.trim();
  return {
    input: {
      KeyId: keyId,
      GranteePrincipal: grantee,
      Operations: [...draft.operations],
      ...(retiring ? { RetiringPrincipal: retiring } : {}),
      ...(name ? { Name: name } : {}),
      ...(context
        ? { Constraints: draft.constraintKind === 'equals' ? { EncryptionContextEquals: context } : { EncryptionContextSubset: context } }
        : {}),
    },
  };
}

/**
 * An encryption context typed as `key=value` lines. Split at the first `=`, so values may contain one; keys are
 * trimmed, values are kept as typed (a context matches byte for byte).
 */
export function encryptionContextOf(text: string): { context: Record<string, string> } | { problem: string } {
  const context: Record<string, string> = {};
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return { problem: 'Enter the encryption context: one key=value pair a line.' };
  for (const line of lines) {
    const at = line.indexOf('=');
    const key = at < 0 ? '' : line.slice(0, at).trim();
    if (!key) return { problem: `"${line.trim()}" is not a key=value pair.` };
    if (key in context) return { problem: `The context key ${key} is given twice.` };
    context[key] = line.slice(at + 1);
  }
  return { context };
}

/** The key's grants (ListGrants), every page of them. */
export function listGrants(kms: KMSClient, keyId: string): Promise<GrantListEntry[]> {
  return collectPages(async (marker) => {
    const page = await kms.send(new ListGrantsCommand({ KeyId: keyId, Limit: 100, ...(marker ? { Marker: marker } : {}) }));
    return { items: page.Grants ?? [], ...(page.Truncated && page.NextMarker ? { nextMarker: page.NextMarker } : {}) };
  });
}

/**
 * Creates the grant and returns its id. The grant token in the answer is neither shown nor kept: the server makes a
 * grant effective before it answers, so nobody needs the token to use it at once.
 */
export async function createGrant(kms: KMSClient, input: CreateGrantCommandInput): Promise<string> {
  const { GrantId } = await kms.send(new CreateGrantCommand(input));
  return GrantId ?? '';
}

/** RetireGrant by key and grant id: AWS wants the key's ARN here, not its id. */
export async function retireGrant(kms: KMSClient, keyArn: string, grantId: string): Promise<void> {
  await kms.send(new RetireGrantCommand({ KeyId: keyArn, GrantId: grantId }));
}

export async function revokeGrant(kms: KMSClient, keyId: string, grantId: string): Promise<void> {
  await kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: grantId }));
}
