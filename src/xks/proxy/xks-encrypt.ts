import { timingSafeEqual } from 'node:crypto';
import type { KmsKey } from '../../keys/key.js';
import { ciphertextMetadataOf, currentAesKey } from './xks-aes-key.js';
import type { XksCallContext } from './xks-call-context.js';
import { XksInternalException, XksInvalidKeyUsageException } from './xks-errors.js';
import { assertUsableForAesGcm, authorizeOnKey } from './xks-key-access.js';
import { cdivAlgorithmOf, encryptionAlgorithmOf, optionalBinary, requiredBinary } from './xks-request-body.js';
import { ciphertextDataIntegrityValue, externalKeyAad, type XksEncryptResponse } from '../xks-wire.js';

/** The plaintext a proxy must accept (the specification's minimum, and this proxy's maximum). */
export const MAX_PLAINTEXT_BYTES = 4300;
/** The AAD a proxy must accept (likewise). */
export const MAX_AAD_BYTES = 8192;

/** An Encrypt request, read. The plaintext is the caller's to wipe. */
export interface XksEncryptInput {
  readonly plaintext: Buffer;
  readonly additionalAuthenticatedData?: Buffer;
  readonly cdivAlgorithm?: 'SHA_256';
}

/** Reads Encrypt's members (`requestMetadata` is read by the endpoint). */
export function readEncryptInput(body: Record<string, unknown>): XksEncryptInput {
  encryptionAlgorithmOf(body);
  const additionalAuthenticatedData = optionalBinary(body, 'additionalAuthenticatedData', { min: 0, max: MAX_AAD_BYTES, above: 'unsupported' });
  const cdivAlgorithm = cdivAlgorithmOf(body);
  const plaintext = requiredBinary(body, 'plaintext', { min: 1, max: MAX_PLAINTEXT_BYTES, above: 'unsupported' });
  return {
    plaintext,
    ...(additionalAuthenticatedData !== undefined ? { additionalAuthenticatedData } : {}),
    ...(cdivAlgorithm !== undefined ? { cdivAlgorithm } : {}),
  };
}

/**
 * The specification's Encrypt (ADR 0023, Decision 3): AES-256-GCM under the key's current material with a fresh
 * 12-byte IV and a 16-byte tag; AAD = `externalKeyAad(additionalAuthenticatedData, ciphertextMetadata)`, where the
 * metadata is the first 16 bytes of the material id, so Decrypt finds the version after a rotation.
 *
 * With a CDIV requested, Appendix C's order: encrypt, compute the CDIV over the output, then decrypt that output once
 * and compare — the CDIV promises KMS that a later Decrypt of it succeeds, so the credential must also be allowed to
 * decrypt with the key (else InvalidKeyUsageException: an encrypt-only key cannot give that promise). Without a CDIV
 * the output is checked the same way, as an internal self-test that needs no permission.
 */
export async function xksEncrypt(context: XksCallContext, key: KmsKey, input: XksEncryptInput): Promise<XksEncryptResponse> {
  await authorizeOnKey(context, key, 'kms:Encrypt');
  if (input.cdivAlgorithm !== undefined) {
    try {
      await authorizeOnKey(context, key, 'kms:Decrypt');
    } catch (error) {
      if (error instanceof XksInvalidKeyUsageException) {
        throw new XksInvalidKeyUsageException('A ciphertextDataIntegrityValue promises a later Decrypt, which this credential may not call with the key.');
      }
      throw error;
    }
  }
  await assertUsableForAesGcm(context, key);
  const aesKey = await currentAesKey(context, key);
  const ciphertextMetadata = ciphertextMetadataOf(aesKey.materialId);
  const aad = externalKeyAad(input.additionalAuthenticatedData, ciphertextMetadata);
  const { iv, ciphertext, tag } = aesKey.seal(input.plaintext, aad);
  const cdiv = input.cdivAlgorithm === undefined
    ? undefined
    : ciphertextDataIntegrityValue({
        ...(input.additionalAuthenticatedData !== undefined ? { additionalAuthenticatedData: input.additionalAuthenticatedData } : {}),
        ciphertextMetadata,
        initializationVector: iv,
        ciphertext,
        authenticationTag: tag,
      });
  assertDecryptsBack(() => aesKey.open(iv, ciphertext, tag, aad).expose(), input.plaintext);
  return {
    authenticationTag: tag.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    ciphertextMetadata: ciphertextMetadata.toString('base64'),
    initializationVector: iv.toString('base64'),
    ...(cdiv !== undefined ? { ciphertextDataIntegrityValue: cdiv } : {}),
  };
}

/** Appendix C, step 3: the output decrypts to the plaintext, or nothing is returned. */
function assertDecryptsBack(open: () => Buffer, plaintext: Buffer): void {
  let opened: Buffer | undefined;
  try {
    opened = open();
    if (opened.length === plaintext.length && timingSafeEqual(opened, plaintext)) return;
  } catch {
    // Reported below, without the reason: it would describe the key or the data.
  } finally {
    opened?.fill(0);
  }
  throw new XksInternalException('The ciphertext produced did not decrypt back to the plaintext.');
}
