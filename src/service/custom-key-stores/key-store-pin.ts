import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';

/**
 * A custom key store's `KeyStorePassword` — the PIN of its token's user (AWS's `kmsuser`) — rests only wrapped by the
 * root of trust, bound to the store's id, as a secret access key is bound to its access key id (ADR 0022): a wrapped
 * PIN copied onto another store's row does not unwrap there. `strongroom rewrap` moves it with the same AAD.
 */

/** The AAD binding a wrapped PIN to its custom key store. */
export function keyStorePinAad(keyStoreId: string): Buffer {
  return Buffer.from(`strongroom:custom-key-store-pin:${keyStoreId}`, 'utf8');
}

/**
 * The PIN wrapped for `custom_key_stores.wrapped_pin`. The bytes of the PIN this makes are wiped once wrapped (the
 * string given cannot be).
 *
 * @example
 *   const wrappedPin = wrapKeyStorePin(rootKey, 'cks-1234567890abcdef0', request.keyStorePassword);
 */
export function wrapKeyStorePin(rootKey: RootOfTrust, keyStoreId: string, pin: string): Buffer {
  const secret = SecretBytes.adopt(Buffer.from(pin, 'utf8'));
  try {
    return rootKey.wrap(secret, keyStorePinAad(keyStoreId));
  } finally {
    secret.wipe();
  }
}

/**
 * The PIN a store's `wrappedPin` holds, to log in to its token. Never log or return it.
 * @throws UnwrapFailedError (from the root of trust) when the bytes are of another store, another root, or altered.
 */
export function unwrapKeyStorePin(rootKey: RootOfTrust, keyStoreId: string, wrapped: Buffer): string {
  const secret = rootKey.unwrap(wrapped, keyStorePinAad(keyStoreId));
  try {
    return secret.expose().toString('utf8');
  } finally {
    secret.wipe();
  }
}
