import type pg from 'pg';
import type { RewrappedSecrets, SecretRewrap } from '../store.js';
import { inTransaction } from './transaction.js';

const PUT_SETTING = 'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value';

/**
 * `Store.rewrapSecrets` on PostgreSQL: one transaction, every row read `FOR UPDATE` so that no node changes a
 * wrapped secret between its read and its rewrite.
 */
export async function rewrapPostgresSecrets(pool: pg.Pool, rewrap: SecretRewrap): Promise<RewrappedSecrets> {
  return inTransaction(pool, async (client) => {
    const counts = { materials: 0, accessKeys: 0, keyStoreSecrets: 0, xksCredentials: 0, settings: 0 };
    const materials = await client.query<{ key_arn: string; id: string; wrapped: Buffer }>(
      'SELECT key_arn, id, wrapped FROM key_materials FOR UPDATE',
    );
    for (const row of materials.rows) {
      await client.query('UPDATE key_materials SET wrapped = $1 WHERE key_arn = $2 AND id = $3', [
        rewrap.material(row.key_arn, row.id, row.wrapped), row.key_arn, row.id,
      ]);
      counts.materials++;
    }
    const accessKeys = await client.query<{ access_key_id: string; wrapped_secret: Buffer }>(
      'SELECT access_key_id, wrapped_secret FROM access_keys FOR UPDATE',
    );
    for (const row of accessKeys.rows) {
      await client.query('UPDATE access_keys SET wrapped_secret = $1 WHERE access_key_id = $2', [
        rewrap.accessKey(row.access_key_id, row.wrapped_secret), row.access_key_id,
      ]);
      counts.accessKeys++;
    }
    const keyStores = await client.query<{ id: string; wrapped_pin: Buffer | null; xks_wrapped_secret: Buffer | null }>(
      'SELECT id, wrapped_pin, xks_wrapped_secret FROM custom_key_stores FOR UPDATE',
    );
    for (const row of keyStores.rows) {
      const pin = row.wrapped_pin && rewrap.keyStoreSecret(row.id, 'pin', row.wrapped_pin);
      const proxySecret = row.xks_wrapped_secret && rewrap.keyStoreSecret(row.id, 'xks-proxy-secret', row.xks_wrapped_secret);
      // A stored change like any other: the revision moves, so an update prepared from the old row conflicts.
      await client.query(
        'UPDATE custom_key_stores SET wrapped_pin = $1, xks_wrapped_secret = $2, revision = revision + 1 WHERE id = $3',
        [pin, proxySecret, row.id],
      );
      counts.keyStoreSecrets++;
    }
    const xksCredentials = await client.query<{ access_key_id: string; wrapped_secret: Buffer }>(
      'SELECT access_key_id, wrapped_secret FROM xks_credentials FOR UPDATE',
    );
    for (const row of xksCredentials.rows) {
      await client.query('UPDATE xks_credentials SET wrapped_secret = $1 WHERE access_key_id = $2', [
        rewrap.xksCredential(row.access_key_id, row.wrapped_secret), row.access_key_id,
      ]);
      counts.xksCredentials++;
    }
    const settings = await client.query<{ name: string; value: string }>('SELECT name, value FROM settings FOR UPDATE');
    for (const row of settings.rows) {
      const value = rewrap.setting(row.name, row.value);
      if (value === undefined) continue;
      await client.query(PUT_SETTING, [row.name, value]);
      counts.settings++;
    }
    for (const name of rewrap.deleteSettings) await client.query('DELETE FROM settings WHERE name = $1', [name]);
    for (const [name, value] of Object.entries(rewrap.putSettings)) await client.query(PUT_SETTING, [name, value]);
    return counts;
  });
}
