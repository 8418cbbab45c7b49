import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { ExternalKeyStore } from '../../keys/custom-key-store.js';
import { XksCallFailure, type XksProxyTarget } from '../../xks/xks-client.js';
import {
  MAX_CIPHERTEXT_METADATA_BYTES,
  XKS_IV_BYTES,
  XKS_TAG_BYTES,
  ciphertextDataIntegrityValue,
  type XksRequestMetadata,
} from '../../xks/xks-wire.js';
import type { ServiceDependencies } from '../services.js';

/**
 * The four calls an external key store makes to its proxy, with the answers checked field by field against the
 * specification before anything is used: a proxy is another party, and a malformed answer must become AWS's
 * "cannot interpret the response" rather than a crash or a wrong plaintext.
 */

/** The AAD binding a store's wrapped proxy secret to the store. */
export function xksProxySecretAad(keyStoreId: string): Buffer {
  return Buffer.from(`strongroom:xks-proxy-secret:${keyStoreId}`, 'utf8');
}

/** `XksProxyAuthenticationCredential.RawSecretAccessKey`, wrapped by the root of trust for storage. */
export function wrapProxySecret(rootKey: RootOfTrust, keyStoreId: string, secret: string): Buffer {
  const bytes = SecretBytes.adopt(Buffer.from(secret, 'utf8'));
  try {
    return rootKey.wrap(bytes, xksProxySecretAad(keyStoreId));
  } finally {
    bytes.wipe();
  }
}

/** How to reach a store's proxy; the secret is unwrapped for the call and wiped after it (`withTarget`). */
async function withTarget<T>(deps: ServiceDependencies, store: ExternalKeyStore, use: (target: XksProxyTarget) => Promise<T>): Promise<T> {
  const secret = deps.rootKey.unwrap(store.xksProxy.wrappedSecret, xksProxySecretAad(store.id));
  try {
    return await use({ ...store.xksProxy, secret, region: store.region });
  } finally {
    secret.wipe();
  }
}

/** The request metadata of the KMS request being answered (`AWS Internal` for work outside a request). */
function requestMetadata(deps: ServiceDependencies, operation: string, keyArn?: string): XksRequestMetadata {
  const request = deps.request;
  return {
    awsPrincipalArn: request?.principalArn ?? 'AWS Internal',
    kmsOperation: request?.operation ?? operation,
    kmsRequestId: request?.requestId ?? 'none',
    ...(keyArn !== undefined ? { kmsKeyArn: keyArn } : {}),
  };
}

/** GetHealthStatus: resolves when the proxy answers well and at least one external key manager can serve. */
export async function checkProxyHealth(deps: ServiceDependencies, store: ExternalKeyStore, operation: string): Promise<void> {
  const { kmsOperation, kmsRequestId } = requestMetadata(deps, operation);
  const answer = await withTarget(deps, store, (target) => deps.xksClient.call(target, 'health', { requestMetadata: { kmsOperation, kmsRequestId } }));
  const fleet = answer['ekmFleetDetails'];
  if (typeof answer['xksProxyFleetSize'] !== 'number' || !Array.isArray(fleet) || fleet.length === 0) {
    throw new XksCallFailure('malformed', 'GetHealthStatus answered without a fleet size or external key managers');
  }
  const serving = fleet.some((entry: unknown) => {
    const status = (entry as { healthStatus?: unknown } | null)?.healthStatus;
    return status === 'ACTIVE' || status === 'DEGRADED';
  });
  // Every external key manager UNAVAILABLE: the proxy is reached, but nothing behind it can serve.
  if (!serving) throw new XksCallFailure('proxy-error', 'every external key manager is UNAVAILABLE', 'InternalException');
}

export interface ExternalKeyMetadata {
  readonly keySpec: string;
  readonly keyUsage: readonly string[];
  readonly keyStatus: string;
}

/** GetKeyMetadata of an external key. */
export async function externalKeyMetadata(
  deps: ServiceDependencies,
  store: ExternalKeyStore,
  xksKeyId: string,
  keyArn?: string,
): Promise<ExternalKeyMetadata> {
  const answer = await withTarget(deps, store, (target) =>
    deps.xksClient.call(target, `keys/${encodeURIComponent(xksKeyId)}/metadata`, { requestMetadata: requestMetadata(deps, 'CreateKey', keyArn) }),
  );
  const { keySpec, keyUsage, keyStatus } = answer;
  if (typeof keySpec !== 'string' || typeof keyStatus !== 'string' || !Array.isArray(keyUsage) || !keyUsage.every((usage) => typeof usage === 'string')) {
    throw new XksCallFailure('malformed', 'GetKeyMetadata answered without keySpec, keyUsage or keyStatus');
  }
  return { keySpec, keyUsage: keyUsage as string[], keyStatus };
}

/** What an external key manager's AES-GCM made of a plaintext. */
export interface ExternalCiphertext {
  readonly initializationVector: Buffer;
  readonly ciphertextMetadata?: Buffer;
  readonly authenticationTag: Buffer;
  readonly ciphertext: Buffer;
}

/** Encrypt with the external key, `aad` authenticated; the answer is checked against its CDIV. */
export async function encryptWithExternalKey(
  deps: ServiceDependencies,
  store: ExternalKeyStore,
  key: { readonly arn: string; readonly xksKeyId: string },
  plaintext: Buffer,
  aad: Buffer,
): Promise<ExternalCiphertext> {
  const answer = await withTarget(deps, store, (target) =>
    deps.xksClient.call(target, `keys/${encodeURIComponent(key.xksKeyId)}/encrypt`, {
      requestMetadata: requestMetadata(deps, 'Encrypt', key.arn),
      plaintext: plaintext.toString('base64'),
      encryptionAlgorithm: 'AES_GCM',
      additionalAuthenticatedData: aad.toString('base64'),
      ciphertextDataIntegrityValueAlgorithm: 'SHA_256',
    }),
  );
  const output: ExternalCiphertext = {
    initializationVector: base64Field(answer, 'initializationVector'),
    authenticationTag: base64Field(answer, 'authenticationTag'),
    ciphertext: base64Field(answer, 'ciphertext'),
    ...(answer['ciphertextMetadata'] !== undefined ? { ciphertextMetadata: base64Field(answer, 'ciphertextMetadata') } : {}),
  };
  checkSizes(output);
  if (output.ciphertext.length !== plaintext.length) throw new XksCallFailure('malformed', 'Encrypt answered a ciphertext of another length than the plaintext');
  const expected = ciphertextDataIntegrityValue({ additionalAuthenticatedData: aad, ...output });
  if (answer['ciphertextDataIntegrityValue'] !== expected) {
    throw new XksCallFailure('malformed', 'Encrypt answered without the ciphertext data integrity value its output has');
  }
  return output;
}

/** Decrypt with the external key; the plaintext is as long as the ciphertext. */
export async function decryptWithExternalKey(
  deps: ServiceDependencies,
  store: ExternalKeyStore,
  key: { readonly arn: string; readonly xksKeyId: string },
  sealed: ExternalCiphertext,
  aad: Buffer,
): Promise<SecretBytes> {
  const answer = await withTarget(deps, store, (target) =>
    deps.xksClient.call(target, `keys/${encodeURIComponent(key.xksKeyId)}/decrypt`, {
      requestMetadata: requestMetadata(deps, 'Decrypt', key.arn),
      ciphertext: sealed.ciphertext.toString('base64'),
      encryptionAlgorithm: 'AES_GCM',
      initializationVector: sealed.initializationVector.toString('base64'),
      authenticationTag: sealed.authenticationTag.toString('base64'),
      additionalAuthenticatedData: aad.toString('base64'),
      ...(sealed.ciphertextMetadata ? { ciphertextMetadata: sealed.ciphertextMetadata.toString('base64') } : {}),
    }),
  );
  const plaintext = base64Field(answer, 'plaintext');
  if (plaintext.length !== sealed.ciphertext.length) {
    plaintext.fill(0);
    throw new XksCallFailure('malformed', 'Decrypt answered a plaintext of another length than the ciphertext');
  }
  return SecretBytes.adopt(plaintext);
}

function checkSizes(output: ExternalCiphertext): void {
  if (!XKS_IV_BYTES.includes(output.initializationVector.length)) throw new XksCallFailure('malformed', 'Encrypt answered an IV of neither 12 nor 16 bytes');
  if (output.authenticationTag.length !== XKS_TAG_BYTES) throw new XksCallFailure('malformed', 'Encrypt answered a tag of another size than 16 bytes');
  if ((output.ciphertextMetadata?.length ?? 0) > MAX_CIPHERTEXT_METADATA_BYTES) throw new XksCallFailure('malformed', 'Encrypt answered more than 20 bytes of ciphertext metadata');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Field(answer: Record<string, unknown>, name: string): Buffer {
  const value = answer[name];
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new XksCallFailure('malformed', `the answer's ${name} is not Base64`);
  }
  return Buffer.from(value, 'base64');
}
