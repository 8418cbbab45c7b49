import type pg from 'pg';
import type { Migration } from './migration.js';

/**
 * Migration 4: imported key material and multi-Region keys (as SQLite's migration 4).
 *
 * - `material_expires_at`: when the earliest imported material of a key expires (`ValidTo`), so the background
 *   job finds keys with expiring material the way it finds keys due for deletion or rotation.
 * - `keys_by_id`: a multi-Region key's related keys share account and id across regions; this finds them.
 */
const IMPORTED_AND_RELATED_KEYS = `
  ALTER TABLE keys ADD COLUMN material_expires_at BIGINT;
  CREATE INDEX keys_by_material_expiry ON keys (material_expires_at) WHERE material_expires_at IS NOT NULL;
  CREATE INDEX keys_by_id ON keys (account_id, id);
`;

export const importedAndRelatedKeys: Migration = {
  version: 4,
  name: 'imported key material and multi-Region keys',
  async apply(client: pg.PoolClient): Promise<void> {
    await client.query(IMPORTED_AND_RELATED_KEYS);
  },
};
