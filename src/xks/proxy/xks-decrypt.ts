import { GCM_IV_BYTES } from '../../crypto/aead.js';
import { DecryptionFailedError } from '../../crypto/crypto-errors.js';
import type { KmsKey } from '../../keys/key.js';
import { aesKeyNamedBy } from './xks-aes-key.js';
import type { XksCallContext } from './xks-call-context.js';
import { MAX_AAD_BYTES, MAX_PLAINTEXT_BYTES } from './xks-encrypt.js';
import { XksInvalidCiphertextException, XksValidationException } from './xks-errors.js';
import { assertUsableForAesGcm, authorizeOnKey } from './xks-key-access.js';
import { encryptionAlgorithmOf, optionalBinary, requiredBinary } from './xks-request-body.js';
import { externalKeyAad, MAX_CIPHERTEXT_METADATA_BYTES, XKS_IV_BYTES, XKS_TAG_BYTES, type XksDecryptResponse } from '../xks-wire.js';

/** A Decrypt request, read. */
export interface XksDecryptInput {
  readonly ciphertext: Buffer;
  readonly initializationVector: Buffer;
  readonly authenticationTag: Buffer;
  readonly additionalAuthenticatedData?: Buffer;
  readonly ciphertextMetadata?: Buffer;
}

/** Reads Decrypt's members (`requestMetadata` is read by the endpoint). */
export function readDecryptInput(body: Record<string, unknown>): XksDecryptInput {
  encryptionAlgorithmOf(body);
  const initializationVector = requiredBinary(body, 'initializationVector', { min: 12, max: 16, above: 'invalid' });
  if (!XKS_IV_BYTES.includes(initializationVector.length)) throw new XksValidationException('initializationVector must be 12 or 16 bytes.');
  const authenticationTag = requiredBinary(body, 'authenticationTag', { min: XKS_TAG_BYTES, max: XKS_TAG_BYTES, above: 'invalid' });
  const ciphertextMetadata = optionalBinary(body, 'ciphertextMetadata', { min: 0, max: MAX_CIPHERTEXT_METADATA_BYTES, above: 'invalid' });
  const additionalAuthenticatedData = optionalBinary(body, 'additionalAuthenticatedData', { min: 0, max: MAX_AAD_BYTES, above: 'unsupported' });
  const ciphertext = requiredBinary(body, 'ciphertext', { min: 1, max: MAX_PLAINTEXT_BYTES, above: 'unsupported' });
  return {
    ciphertext,
    initializationVector,
    authenticationTag,
    ...(additionalAuthenticatedData !== undefined ? { additionalAuthenticatedData } : {}),
    ...(ciphertextMetadata !== undefined ? { ciphertextMetadata } : {}),
  };
}

/**
 * The specification's Decrypt: the material version is the one whose id begins with `ciphertextMetadata` (the current
 * one, or an older one after rotation), and AES-256-GCM opens the ciphertext with the same AAD Encrypt used. Whatever
 * does not open — another key's ciphertext, a changed byte, other AAD or metadata, no metadata, a 16-byte IV (this
 * proxy never makes one) — is `InvalidCiphertextException`, saying no more. The plaintext is never logged or recorded.
 */
export async function xksDecrypt(context: XksCallContext, key: KmsKey, input: XksDecryptInput): Promise<XksDecryptResponse> {
  await authorizeOnKey(context, key, 'kms:Decrypt');
  await assertUsableForAesGcm(context, key);
  const { ciphertextMetadata, initializationVector, ciphertext, authenticationTag } = input;
  const aesKey = ciphertextMetadata === undefined || initializationVector.length !== GCM_IV_BYTES
    ? undefined
    : await aesKeyNamedBy(context, key, ciphertextMetadata);
  if (aesKey === undefined) throw new XksInvalidCiphertextException();
  const aad = externalKeyAad(input.additionalAuthenticatedData, ciphertextMetadata);
  let plaintext;
  try {
    plaintext = aesKey.open(initializationVector, ciphertext, authenticationTag, aad);
  } catch (error) {
    if (error instanceof DecryptionFailedError) throw new XksInvalidCiphertextException();
    throw error;
  }
  try {
    return { plaintext: plaintext.expose().toString('base64') };
  } finally {
    plaintext.wipe();
  }
}
