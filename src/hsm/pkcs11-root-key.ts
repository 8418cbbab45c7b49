import { createHash, randomBytes } from 'node:crypto';
import { UnwrapFailedError } from '../crypto/crypto-errors.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import { Pkcs11DecryptionFailed, type Pkcs11Key, type Pkcs11Token } from './pkcs11-token.js';

/**
 * The root of trust inside a PKCS#11 token (`--root-of-trust pkcs11`): a non-extractable AES-256 key generated in
 * the token, which wraps and unwraps every stored secret itself (AES-256-GCM through `C_Encrypt`/`C_Decrypt`).
 * The key never leaves the token, so a copy of the store without the token (and its PIN) decrypts nothing.
 * The bounded material caches keep the token off the hot path: one call per cache miss, not per request.
 *
 * Wrapped format, version 2 (version 1 is `RootKey`'s): `02 | iv (12) | ciphertext | tag (16)`, with the caller's
 * AAD, as for the other roots.
 */
const WRAPPED_FORMAT_VERSION = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class Pkcs11RootKey implements RootOfTrust {
  readonly kind = 'pkcs11' as const;
  readonly id: string;
  readonly #token: Pkcs11Token;
  readonly #key: Pkcs11Key;
  #destroyed = false;

  constructor(token: Pkcs11Token, key: Pkcs11Key) {
    this.#token = token;
    this.#key = key;
    // Names the token and the key object (its random CKA_ID), never anything secret.
    this.id = createHash('sha256').update(token.serialNumber).update('\0').update(key.id).digest().subarray(0, 8).toString('hex');
  }

  /** The label of the key object in the token. */
  get keyLabel(): string {
    return this.#key.label;
  }

  wrap(secret: SecretBytes, aad: Buffer): Buffer {
    this.#assertUsable();
    const iv = randomBytes(IV_BYTES);
    return Buffer.concat([Buffer.of(WRAPPED_FORMAT_VERSION), iv, this.#token.encryptAesGcm(this.#key, iv, aad, secret.expose())]);
  }

  unwrap(wrapped: Buffer, aad: Buffer): SecretBytes {
    this.#assertUsable();
    if (wrapped.length < 1 + IV_BYTES + TAG_BYTES || wrapped[0] !== WRAPPED_FORMAT_VERSION) {
      throw new UnwrapFailedError('wrapped secret is malformed or not wrapped by a PKCS#11 root of trust');
    }
    try {
      return SecretBytes.adopt(this.#token.decryptAesGcm(this.#key, wrapped.subarray(1, 1 + IV_BYTES), aad, wrapped.subarray(1 + IV_BYTES)));
    } catch (error) {
      // A failing device is the device's error (an internal error, logged); only a refused tag is "not ours".
      if (!(error instanceof Pkcs11DecryptionFailed)) throw error;
      throw new UnwrapFailedError(`wrapped secret does not authenticate under the PKCS#11 root of trust ${this.id}`);
    }
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#token.close();
  }

  #assertUsable(): void {
    if (this.#destroyed) throw new UnwrapFailedError('the PKCS#11 root of trust is closed');
  }
}
