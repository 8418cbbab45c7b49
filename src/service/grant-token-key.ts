import { SecretBytes } from '../crypto/secret-bytes.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import type { SettingsRepository } from '../store/store.js';

const SETTING = 'grant-token-key';
const AAD = Buffer.from('strongroom:grant-token-key:v1', 'utf8');

/** The setting that holds the grant token key wrapped by the root of trust (base64), and its AAD: for `rewrap`. */
export const GRANT_TOKEN_KEY_SETTING = Object.freeze({ name: SETTING, aad: AAD });

const loaded = new WeakMap<RootOfTrust, Promise<SecretBytes>>();

/**
 * The key grant tokens are derived with (see `auth/authorization/grant-token.ts`): 32 random bytes made on
 * first use and stored only wrapped by the root key, in the settings. Loaded once per root key and process.
 *
 * Two processes making it at the very same moment (the first CreateGrant ever, on two workers at once) would
 * each store theirs, the later one winning; each re-reads the stored value after writing, which narrows that
 * to the two writes interleaving between the other's write and re-read.
 */
export function grantTokenKey(rootKey: RootOfTrust, settings: SettingsRepository): Promise<SecretBytes> {
  let key = loaded.get(rootKey);
  if (key === undefined) {
    key = loadOrCreate(rootKey, settings);
    loaded.set(rootKey, key);
    // A failed load (store unavailable) is retried by the next caller rather than cached.
    void key.catch(() => loaded.delete(rootKey));
  }
  return key;
}

async function loadOrCreate(rootKey: RootOfTrust, settings: SettingsRepository): Promise<SecretBytes> {
  const stored = await settings.get(SETTING);
  if (stored !== undefined) return rootKey.unwrap(Buffer.from(stored, 'base64'), AAD);
  const fresh = SecretBytes.random(32);
  await settings.put(SETTING, rootKey.wrap(fresh, AAD).toString('base64'));
  fresh.wipe();
  const written = await settings.get(SETTING);
  if (written === undefined) throw new Error('the grant token key was not stored');
  return rootKey.unwrap(Buffer.from(written, 'base64'), AAD);
}
