import { ivPool } from './random-pool.js';
import { GCM_IV_BYTES, GCM_TAG_BYTES, openAesGcm, sealAesGcmWithIv, type ExternalAesGcmKey } from './aead.js';
import { CryptoInputError, DecryptionFailedError, InvalidCiphertextError } from './crypto-errors.js';
import { encodeEncryptionContext } from './encryption-context.js';
import { SecretBytes } from './secret-bytes.js';

/**
 * The ciphertext blob of a symmetric KMS key, format version 1 (specified in docs/ciphertext-format.md):
 *
 *   header:  "SR" (53 52) | version (01) | arnLength (u16be) | keyArn (UTF-8) | materialId (32) | iv (12)
 *   body:    ciphertext (as long as the plaintext) | tag (16)
 *
 * AAD = header ‖ encodeEncryptionContext(context): the tag authenticates which key and which material version
 * made the blob, so a blob cannot be re-labelled to another key or version, and binds the encryption context.
 */

const MAGIC = Buffer.from('SR', 'latin1');
const FORMAT_VERSION = 1;
const MATERIAL_ID_BYTES = 32;
/** An ARN of the accepted shape is at most ~130 bytes; the bound keeps a hostile length from mattering. */
const MAX_KEY_ARN_BYTES = 256;
const ARN_OFFSET = MAGIC.length + 1 + 2;
/** The smallest well-formed blob with a one-byte ARN and empty ciphertext; anything shorter is malformed. */
const MIN_BLOB_BYTES = ARN_OFFSET + 1 + MATERIAL_ID_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES;

const KEY_ARN_SHAPE = /^arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]{1,32}:\d{12}:key\/[A-Za-z0-9-]{1,64}$/;
const MATERIAL_ID_SHAPE = /^[0-9a-f]{64}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The AES-256 key of a blob: its bytes, or a key held in an HSM. */
export type BlobKey = SecretBytes | ExternalAesGcmKey;

/** What `parseCiphertextBlob` finds in a blob. The buffers are views into the parsed blob, not copies. */
export interface ParsedCiphertextBlob {
  readonly formatVersion: 1;
  /** The ARN of the KMS key that made the blob (names account, region and key id). */
  readonly keyArn: string;
  /** The key material version, 64 lowercase hex characters. */
  readonly materialId: string;
  /** Every byte before the ciphertext (magic through IV): authenticated as the first part of the AAD. */
  readonly header: Buffer;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export interface SealCiphertextBlobParams {
  readonly keyArn: string;
  readonly materialId: string;
  /**
   * The key material version's 32-byte AES key, or the key object in a custom key store's token that holds it
   * (the blob is the same either way: only the AES-GCM runs elsewhere).
   */
  readonly material: BlobKey;
  readonly plaintext: Buffer | SecretBytes;
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

/**
 * Encrypts `plaintext` under a key material version into a version-1 blob, with a fresh random IV.
 *
 * @throws CryptoInputError when the ARN or material id is malformed (the service validated them; this guards
 *   against writing a blob that `parseCiphertextBlob` would refuse).
 * @example
 *   const blob = sealCiphertextBlob({ keyArn, materialId, material, plaintext, encryptionContext: { app: 'x' } });
 *   const parsed = parseCiphertextBlob(blob); // parsed.keyArn === keyArn
 *   const plaintextAgain = openCiphertextBlob(parsed, material, { app: 'x' });
 */
export function sealCiphertextBlob(params: SealCiphertextBlobParams): Buffer {
  return beginCiphertextBlob(params).seal(params.material, params.plaintext);
}

/** A blob whose header, and so its AAD, is fixed before its plaintext exists (`beginCiphertextBlob`). */
export interface PendingCiphertextBlob {
  /** header ‖ encodeEncryptionContext(context): what the blob's AES-GCM authenticates. */
  readonly aad: Buffer;
  /** Seals `plaintext` into the blob; once only (the IV is the blob's). */
  seal(material: BlobKey, plaintext: Buffer | SecretBytes): Buffer;
}

/**
 * Starts a blob with a fresh random IV: its AAD is known at once, so that a layer made before the blob's own can be
 * bound to it (an external key store's key encrypts the plaintext under this AAD first, ADR 0023).
 */
export function beginCiphertextBlob(params: Omit<SealCiphertextBlobParams, 'material' | 'plaintext'>): PendingCiphertextBlob {
  return beginCiphertextBlobWithIv(params, ivPool.take(GCM_IV_BYTES));
}

/** INTERNAL — for golden tests only: a fixed IV reused under one key breaks AES-GCM. Use `sealCiphertextBlob`. */
export function sealCiphertextBlobWithIv(params: SealCiphertextBlobParams, iv: Buffer): Buffer {
  return beginCiphertextBlobWithIv(params, iv).seal(params.material, params.plaintext);
}

function beginCiphertextBlobWithIv(params: Omit<SealCiphertextBlobParams, 'material' | 'plaintext'>, iv: Buffer): PendingCiphertextBlob {
  const { keyArn, materialId, encryptionContext } = params;
  if (!KEY_ARN_SHAPE.test(keyArn)) {
    throw new CryptoInputError('key ARN is not shaped arn:aws:kms:<region>:<account>:key/<id>');
  }
  if (!MATERIAL_ID_SHAPE.test(materialId)) {
    throw new CryptoInputError('material id must be 64 lowercase hex characters');
  }
  if (iv.length !== GCM_IV_BYTES) throw new CryptoInputError(`AES-GCM IV must be ${GCM_IV_BYTES} bytes`);
  const arnLength = Buffer.byteLength(keyArn, 'utf8');
  const header = Buffer.allocUnsafe(ARN_OFFSET + arnLength + MATERIAL_ID_BYTES + GCM_IV_BYTES);
  let offset = MAGIC.copy(header, 0);
  offset = header.writeUInt8(FORMAT_VERSION, offset);
  offset = header.writeUInt16BE(arnLength, offset);
  offset += header.write(keyArn, offset, 'utf8');
  offset += header.write(materialId, offset, 'hex');
  iv.copy(header, offset);
  const aad = Buffer.concat([header, encodeEncryptionContext(encryptionContext)]);
  return {
    aad,
    seal(material, given) {
      const plaintext = Buffer.isBuffer(given) ? given : given.expose();
      const sealed = material instanceof SecretBytes ? sealAesGcmWithIv(material, iv, plaintext, aad) : material.sealWithIv(iv, plaintext, aad);
      return Buffer.concat([header, sealed.ciphertext, sealed.tag]);
    },
  };
}

/**
 * Reads a blob's structure without any key: which key ARN and material version made it. Decrypt calls this
 * first, because Decrypt takes no KeyId and the key may live in another account.
 *
 * @throws InvalidCiphertextError when the blob is too short, not of this format (an AWS Encryption SDK message
 *   starts 01 80 or 02 05 and is refused by its first byte), of an unknown version, or has a bad ARN length,
 *   a non-UTF-8 ARN or an ARN not shaped `arn:aws:kms:<region>:<12 digits>:key/<id>`.
 */
export function parseCiphertextBlob(blob: Buffer): ParsedCiphertextBlob {
  if (blob.length < MIN_BLOB_BYTES) throw new InvalidCiphertextError('ciphertext blob is too short');
  if (blob[0] !== MAGIC[0] || blob[1] !== MAGIC[1]) {
    throw new InvalidCiphertextError('ciphertext blob is not in the Strongroom format');
  }
  if (blob[2] !== FORMAT_VERSION) throw new InvalidCiphertextError('ciphertext blob has an unsupported format version');

  const arnLength = blob.readUInt16BE(MAGIC.length + 1);
  const materialOffset = ARN_OFFSET + arnLength;
  const ivOffset = materialOffset + MATERIAL_ID_BYTES;
  const ciphertextOffset = ivOffset + GCM_IV_BYTES;
  if (arnLength === 0 || arnLength > MAX_KEY_ARN_BYTES || ciphertextOffset + GCM_TAG_BYTES > blob.length) {
    throw new InvalidCiphertextError('ciphertext blob has an invalid key ARN length');
  }
  const keyArn = decodeKeyArn(blob.subarray(ARN_OFFSET, materialOffset));
  const tagOffset = blob.length - GCM_TAG_BYTES;
  return Object.freeze({
    formatVersion: FORMAT_VERSION,
    keyArn,
    materialId: blob.toString('hex', materialOffset, ivOffset),
    header: blob.subarray(0, ciphertextOffset),
    iv: blob.subarray(ivOffset, ciphertextOffset),
    ciphertext: blob.subarray(ciphertextOffset, tagOffset),
    tag: blob.subarray(tagOffset),
  });
}

/**
 * Authenticates and decrypts a parsed blob with the material version it names, under `encryptionContext`
 * (which must equal the one given at encryption; absent and empty are the same).
 *
 * @throws InvalidCiphertextError when the blob does not authenticate: wrong context, wrong material, or any
 *   byte of header, ciphertext or tag altered.
 */
export function openCiphertextBlob(
  parsed: ParsedCiphertextBlob,
  material: BlobKey,
  encryptionContext?: Readonly<Record<string, string>>,
): SecretBytes {
  const aad = ciphertextBlobAad(parsed, encryptionContext);
  try {
    if (!(material instanceof SecretBytes)) return material.open(parsed.iv, parsed.ciphertext, parsed.tag, aad);
    return openAesGcm(material, parsed.iv, parsed.ciphertext, parsed.tag, aad);
  } catch (error) {
    if (!(error instanceof DecryptionFailedError)) throw error;
    throw new InvalidCiphertextError('ciphertext blob does not authenticate');
  }
}

/** What a parsed blob's AES-GCM authenticates: its header ‖ the canonical encryption context. */
export function ciphertextBlobAad(parsed: ParsedCiphertextBlob, encryptionContext?: Readonly<Record<string, string>>): Buffer {
  return Buffer.concat([parsed.header, encodeEncryptionContext(encryptionContext)]);
}

function decodeKeyArn(bytes: Buffer): string {
  let keyArn: string;
  try {
    keyArn = strictUtf8.decode(bytes);
  } catch {
    throw new InvalidCiphertextError('ciphertext blob has a key ARN that is not UTF-8');
  }
  if (!KEY_ARN_SHAPE.test(keyArn)) throw new InvalidCiphertextError('ciphertext blob has a malformed key ARN');
  return keyArn;
}
