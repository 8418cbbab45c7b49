import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';

/**
 * Migration 4: imported key material and multi-Region keys.
 *
 * - `material_expires_at`: when the earliest imported material of a key expires (`ValidTo`), so the background
 *   job finds keys with expiring material the way it finds keys due for deletion or rotation.
 * - `keys_by_id`: a multi-Region key's related keys share account and id across regions; this finds them.
 */
const IMPORTED_AND_RELATED_KEYS = `
  ALTER TABLE keys ADD COLUMN material_expires_at INTEGER;
  CREATE INDEX keys_by_material_expiry ON keys (material_expires_at) WHERE material_expires_at IS NOT NULL;
  CREATE INDEX keys_by_id ON keys (account_id, id);
`;

export const importedAndRelatedKeys: Migration = {
  version: 4,
  name: 'imported key material and multi-Region keys',
  apply(db: Database.Database): void {
    db.exec(IMPORTED_AND_RELATED_KEYS);
  },
};
