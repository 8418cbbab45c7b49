import type { SecretBytes } from './secret-bytes.js';

/**
 * What wraps every secret Strongroom stores (key material, secret access keys, the audit signing key, ...) so that
 * none rests in clear: a key file (`RootKey`), a key derived from a passphrase (`RootKey` too, made by scrypt), or
 * an AES key inside a PKCS#11 token that never leaves it (`hsm/pkcs11-root-key.ts`). Callers bind each wrapped
 * secret to what it is with `aad` (`buildMaterialAad(keyArn, materialId)`, ...), so a record cannot be moved.
 */
export interface RootOfTrust {
  /** What kind of root it is, as `--root-of-trust` names it. */
  readonly kind: RootOfTrustKind;
  /** A non-secret fingerprint (16 hex characters) naming this root in logs, records and check values. */
  readonly id: string;
  /** Encrypts `secret` bound to `aad`. The result is safe to store. */
  wrap(secret: SecretBytes, aad: Buffer): Buffer;
  /**
   * Recovers what `wrap` encrypted under the same `aad`.
   * @throws UnwrapFailedError when the record is malformed, of another root, altered, or given another AAD.
   */
  unwrap(wrapped: Buffer, aad: Buffer): SecretBytes;
  /** Forgets the key (wipes it, or closes the token's session); wrap and unwrap throw afterwards. */
  destroy(): void;
}

export type RootOfTrustKind = 'file' | 'passphrase' | 'pkcs11';
