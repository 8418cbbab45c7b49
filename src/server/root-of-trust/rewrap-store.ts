import { buildMaterialAad } from '../../crypto/root-key.js';
import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import { accessKeyAad } from '../../auth/credential-resolver.js';
import { keyStorePinAad } from '../../service/custom-key-stores/key-store-pin.js';
import { xksProxySecretAad } from '../../service/external-key-stores/xks-proxy-calls.js';
import { GRANT_TOKEN_KEY_SETTING } from '../../service/grant-token-key.js';
import { ROOT_KEY_CHECK_SETTING, type RewrappedSecrets, type Store } from '../../store/store.js';
import { AUDIT_SIGNING_KEY_SETTING } from '../audit/audit-signing-key-store.js';
import { xksCredentialAad } from '../../xks/proxy/xks-credentials.js';
import { ROOT_OF_TRUST_SETTING, type RootOfTrustRecord } from './open-root-of-trust.js';

/** Every setting that holds a secret wrapped by the root of trust (base64), with its AAD. */
const WRAPPED_SETTINGS: ReadonlyMap<string, Buffer> = new Map(
  [AUDIT_SIGNING_KEY_SETTING, GRANT_TOKEN_KEY_SETTING].map((setting) => [setting.name, setting.aad]),
);

/**
 * Moves every secret of `store` from the root of trust `from` to `to` in one transaction (`Store.rewrapSecrets`):
 * each is unwrapped by the old root and wrapped by the new one with the same AAD, and the store records the new
 * root (`record`, or none for a key file) and its check value. Every server on the store must be stopped: a running
 * one still holds the old root.
 */
export async function rewrapStore(
  store: Store,
  from: RootOfTrust,
  to: RootOfTrust,
  record: RootOfTrustRecord | undefined,
): Promise<RewrappedSecrets> {
  const move = (wrapped: Buffer, aad: Buffer): Buffer => {
    const secret = from.unwrap(wrapped, aad);
    try {
      return to.wrap(secret, aad);
    } finally {
      secret.wipe();
    }
  };
  return store.rewrapSecrets({
    material: (keyArn, materialId, wrapped) => move(wrapped, buildMaterialAad(keyArn, materialId)),
    accessKey: (accessKeyId, wrapped) => move(wrapped, accessKeyAad(accessKeyId)),
    keyStoreSecret: (keyStoreId, secret, wrapped) =>
      move(wrapped, secret === 'pin' ? keyStorePinAad(keyStoreId) : xksProxySecretAad(keyStoreId)),
    xksCredential: (accessKeyId, wrapped) => move(wrapped, xksCredentialAad(accessKeyId)),
    setting: (name, value) => {
      const aad = WRAPPED_SETTINGS.get(name);
      return aad === undefined ? undefined : move(Buffer.from(value, 'base64'), aad).toString('base64');
    },
    putSettings: {
      [ROOT_KEY_CHECK_SETTING]: to.id,
      ...(record !== undefined ? { [ROOT_OF_TRUST_SETTING]: JSON.stringify(record) } : {}),
    },
    deleteSettings: record === undefined ? [ROOT_OF_TRUST_SETTING] : [],
  });
}
