import type { RequestTerms } from '../../auth/authorization/request-terms.js';
import { AccessDeniedException } from '../../errors.js';
import { presentedKeyState } from '../../keys/custom-key-store.js';
import type { KmsKey } from '../../keys/key.js';
import type { KeyState } from '../../keys/key-state.js';
import { isSymmetric } from '../../keys/key-spec.js';
import { keyStoreOf } from '../../service/custom-key-stores/store-keys.js';
import type { XksCallContext } from './xks-call-context.js';
import {
  XksAccessDeniedException, XksInvalidKeyUsageException, XksInvalidStateException, XksUnsupportedOperationException,
} from './xks-errors.js';

/** The IAM actions the proxy's calls are authorized as (docs/xks-proxy.md#authorization). */
export type XksAction = 'kms:DescribeKey' | 'kms:Encrypt' | 'kms:Decrypt';

/** The operation an action is, as the specification's key usages name it (`ENCRYPT`, `DECRYPT`). */
const USAGE_OF: Readonly<Record<Exclude<XksAction, 'kms:DescribeKey'>, 'ENCRYPT' | 'DECRYPT'>> = {
  'kms:Encrypt': 'ENCRYPT',
  'kms:Decrypt': 'DECRYPT',
};

/**
 * Authorizes the credential's IAM user for `action` on `key`, as the KMS API would authorize that user (key policy,
 * IAM policies, grants). A denial is `AccessDeniedException`, except for Encrypt or Decrypt on a key the user may
 * otherwise use (any other of `kms:DescribeKey`, `kms:Encrypt`, `kms:Decrypt`): to that credential the key is one that
 * does not support the operation — an encrypt-only, decrypt-only or metadata-only key, as GetKeyMetadata's `keyUsage`
 * tells it — so the answer is the specification's `InvalidKeyUsageException`, which the public XKS test client expects
 * of such keys. A user allowed nothing on the key gets `AccessDeniedException`.
 */
export async function authorizeOnKey(context: XksCallContext, key: KmsKey, action: XksAction): Promise<void> {
  try {
    await authorize(context, key, action);
  } catch (error) {
    if (!(error instanceof AccessDeniedException)) throw error;
    if (action !== 'kms:DescribeKey' && (await maySomethingElse(context, key, action))) {
      throw new XksInvalidKeyUsageException(`The key does not support ${USAGE_OF[action]} for this credential.`);
    }
    throw new XksAccessDeniedException(error.message);
  }
}

async function maySomethingElse(context: XksCallContext, key: KmsKey, denied: XksAction): Promise<boolean> {
  for (const other of ['kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt'] as const) {
    if (other !== denied && (await mayOnKey(context, key, other))) return true;
  }
  return false;
}

/** Whether the credential's user may perform `action` on `key` (nothing thrown for a denial). */
export async function mayOnKey(context: XksCallContext, key: KmsKey, action: XksAction): Promise<boolean> {
  try {
    await authorize(context, key, action);
    return true;
  } catch (error) {
    if (error instanceof AccessDeniedException) return false;
    throw error;
  }
}

async function authorize(context: XksCallContext, key: KmsKey, action: XksAction): Promise<void> {
  // A symmetric key's cryptographic operations are SYMMETRIC_DEFAULT (kms:EncryptionAlgorithm), as at the KMS API.
  const terms: RequestTerms = action === 'kms:DescribeKey' ? {} : { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  await context.authorizer.authorize({
    caller: context.caller,
    action,
    key,
    terms,
    sourceIp: context.sourceIp,
    secureTransport: context.secureTransport,
  });
}

/** The state a caller of the KMS API would see: `Unavailable` for a key in a custom key store that is not connected. */
export async function keyStateOf(context: XksCallContext, key: KmsKey): Promise<KeyState> {
  return key.customKeyStoreId === undefined ? key.state : presentedKeyState(key, await keyStoreOf(context.deps, key));
}

/** Whether `key` is one the proxy's AES-GCM calls can use: a symmetric encryption key (AES-256). */
export function isAesKey(key: KmsKey): boolean {
  return isSymmetric(key.spec) && key.usage === 'ENCRYPT_DECRYPT';
}

/**
 * What Encrypt and Decrypt check after authorization: the key is `Enabled` (else InvalidStateException), an AES key
 * (else InvalidKeyUsageException), and its material is one the proxy can reach — its own (origin AWS_KMS or
 * EXTERNAL) or its custom key store token's (AWS_CLOUDHSM). A key of origin EXTERNAL_KEY_STORE has its outer layer
 * behind another XKS proxy: serving it would chain proxies, and is refused as an operation not implemented.
 */
export async function assertUsableForAesGcm(context: XksCallContext, key: KmsKey): Promise<void> {
  const state = await keyStateOf(context, key);
  if (state !== 'Enabled') throw new XksInvalidStateException(`The key is ${state}, not Enabled.`);
  if (!isAesKey(key)) throw new XksInvalidKeyUsageException(`The key is ${key.spec} for ${key.usage}, not an AES-256 encryption key.`);
  if (key.origin === 'EXTERNAL_KEY_STORE') {
    throw new XksUnsupportedOperationException('Keys in an external key store cannot be used through this proxy.');
  }
}
