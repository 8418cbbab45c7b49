import type Database from 'better-sqlite3';
import type { RewrappedSecrets, SecretRewrap } from '../store.js';

/** `Store.rewrapSecrets` on SQLite: one `BEGIN IMMEDIATE` transaction over every wrapped column. */
export function rewrapSqliteSecrets(db: Database.Database, rewrap: SecretRewrap): RewrappedSecrets {
  const materials = db.prepare<[], { key_arn: string; id: string; wrapped: Buffer }>('SELECT key_arn, id, wrapped FROM key_materials');
  const updateMaterial = db.prepare('UPDATE key_materials SET wrapped = ? WHERE key_arn = ? AND id = ?');
  const accessKeys = db.prepare<[], { access_key_id: string; wrapped_secret: Buffer }>('SELECT access_key_id, wrapped_secret FROM access_keys');
  const updateAccessKey = db.prepare('UPDATE access_keys SET wrapped_secret = ? WHERE access_key_id = ?');
  const keyStores = db.prepare<[], { id: string; wrapped_pin: Buffer | null; xks_wrapped_secret: Buffer | null }>(
    'SELECT id, wrapped_pin, xks_wrapped_secret FROM custom_key_stores',
  );
  // A stored change like any other: the revision moves, so an update prepared from the old row conflicts.
  const updateKeyStore = db.prepare('UPDATE custom_key_stores SET wrapped_pin = ?, xks_wrapped_secret = ?, revision = revision + 1 WHERE id = ?');
  const xksCredentials = db.prepare<[], { access_key_id: string; wrapped_secret: Buffer }>('SELECT access_key_id, wrapped_secret FROM xks_credentials');
  const updateXksCredential = db.prepare('UPDATE xks_credentials SET wrapped_secret = ? WHERE access_key_id = ?');
  const settings = db.prepare<[], { name: string; value: string }>('SELECT name, value FROM settings');
  const putSetting = db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  const deleteSetting = db.prepare('DELETE FROM settings WHERE name = ?');
  return db.transaction((): RewrappedSecrets => {
    const counts = { materials: 0, accessKeys: 0, keyStoreSecrets: 0, xksCredentials: 0, settings: 0 };
    for (const row of materials.all()) {
      updateMaterial.run(rewrap.material(row.key_arn, row.id, row.wrapped), row.key_arn, row.id);
      counts.materials++;
    }
    for (const row of accessKeys.all()) {
      updateAccessKey.run(rewrap.accessKey(row.access_key_id, row.wrapped_secret), row.access_key_id);
      counts.accessKeys++;
    }
    for (const row of keyStores.all()) {
      const pin = row.wrapped_pin && rewrap.keyStoreSecret(row.id, 'pin', row.wrapped_pin);
      const proxySecret = row.xks_wrapped_secret && rewrap.keyStoreSecret(row.id, 'xks-proxy-secret', row.xks_wrapped_secret);
      updateKeyStore.run(pin, proxySecret, row.id);
      counts.keyStoreSecrets++;
    }
    for (const row of xksCredentials.all()) {
      updateXksCredential.run(rewrap.xksCredential(row.access_key_id, row.wrapped_secret), row.access_key_id);
      counts.xksCredentials++;
    }
    for (const row of settings.all()) {
      const value = rewrap.setting(row.name, row.value);
      if (value === undefined) continue;
      putSetting.run(row.name, value);
      counts.settings++;
    }
    for (const name of rewrap.deleteSettings) deleteSetting.run(name);
    for (const [name, value] of Object.entries(rewrap.putSettings)) putSetting.run(name, value);
    return counts;
  }).immediate();
}
