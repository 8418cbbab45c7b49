import type { KeyObject } from 'node:crypto';
import {
  createAuditSigningKey,
  exportAuditPublicKey,
  exportAuditSigningKey,
  loadAuditSigningKey,
} from '../../audit/index.js';
import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { SettingsRepository } from '../../store/store.js';

/**
 * Where the audit signing key lives: in the key store's settings, as its PKCS#8 form WRAPPED by the root key
 * (never in clear). The AAD names the purpose, so a wrapped key material record cannot be passed off as the
 * audit signing key or the other way round. The public key is derived from the unwrapped private key, so a
 * verifier that holds the root key needs nothing else it would have to trust.
 */
const WRAPPED_KEY_SETTING = 'audit-signing-key';
const AUDIT_KEY_AAD = Buffer.from('strongroom/audit-signing-key/v1', 'utf8');

/** The setting that holds the audit signing key wrapped by the root of trust (base64), and its AAD: for `rewrap`. */
export const AUDIT_SIGNING_KEY_SETTING = Object.freeze({ name: WRAPPED_KEY_SETTING, aad: AUDIT_KEY_AAD });

/**
 * Loads the audit signing key, generating and storing it (wrapped) on the first start of a data directory.
 *
 * Two processes starting on a fresh data directory at the same instant could each store a key; `serve`
 * avoids this by creating the key in the primary before it forks workers, and the key is re-read after it
 * is stored so that every process of one start signs with the key that stayed.
 *
 * @example
 *   const signingKey = await loadOrCreateAuditSigningKey(store.settings, rootKey);
 */
export async function loadOrCreateAuditSigningKey(settings: SettingsRepository, rootKey: RootOfTrust): Promise<KeyObject> {
  const existing = await loadAuditSigningKeyFromSettings(settings, rootKey);
  if (existing) return existing;
  const { privateKey } = createAuditSigningKey();
  const pkcs8 = exportAuditSigningKey(privateKey);
  try {
    await settings.put(WRAPPED_KEY_SETTING, rootKey.wrap(pkcs8, AUDIT_KEY_AAD).toString('base64'));
  } finally {
    pkcs8.wipe();
  }
  const stored = await loadAuditSigningKeyFromSettings(settings, rootKey);
  if (!stored) throw new Error('the audit signing key could not be stored');
  return stored;
}

/**
 * The stored audit signing key, unwrapped; undefined when none was created yet. Throws when the stored
 * record does not authenticate under this root key (altered, or another root key).
 */
export async function loadAuditSigningKeyFromSettings(
  settings: SettingsRepository,
  rootKey: RootOfTrust,
): Promise<KeyObject | undefined> {
  const wrapped = await settings.get(WRAPPED_KEY_SETTING);
  if (wrapped === undefined) return undefined;
  const pkcs8: SecretBytes = rootKey.unwrap(Buffer.from(wrapped, 'base64'), AUDIT_KEY_AAD);
  try {
    return loadAuditSigningKey(pkcs8);
  } finally {
    pkcs8.wipe();
  }
}

/** The audit public key (SPKI PEM) that verifies the trail's digests: `strongroom audit public-key`. */
export function auditPublicKeyPem(signingKey: KeyObject): string {
  return exportAuditPublicKey(signingKey);
}
