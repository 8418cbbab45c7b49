import type { KmsKey } from '../../keys/key.js';
import { withReadAlong } from '../key-read-along.js';
import { keyMaterialFromRow, type KeyMaterialRow } from './key-material-row.js';
import { deserializeKey } from './key-record.js';

/**
 * A key as both backends' `get` reads it (key-read-along.ts): its record, its current material's columns (null
 * when it has none: a key awaiting imported material) and whether any grant names it.
 */
export interface KeyReadAlongRow extends Pick<KeyMaterialRow, 'key_arn' | 'rotation_type' | 'public_key'> {
  readonly record: string;
  readonly material_id: string | null;
  readonly created_at: number | null;
  readonly wrapped: Buffer | null;
  /** SQLite answers 0 or 1, PostgreSQL a boolean. */
  readonly has_grants: number | boolean;
}

/** The columns of a `KeyReadAlongRow` from `key_materials` joined as `m`, after the key's `record` and `key_arn`. */
export const READ_ALONG_MATERIAL_COLUMNS =
  'm.id AS material_id, m.created_at, m.rotation_type, m.wrapped, m.public_key';

/** The key a row holds, with what was read along with it. */
export function keyFromReadAlongRow(row: KeyReadAlongRow): KmsKey {
  const { key_arn, material_id: id, created_at, rotation_type, wrapped, public_key } = row;
  const currentMaterial = id === null || created_at === null || wrapped === null
    ? undefined
    : keyMaterialFromRow({ key_arn, id, created_at, rotation_type, wrapped, public_key });
  return withReadAlong(deserializeKey(row.record), { currentMaterial, hasGrants: Boolean(row.has_grants) });
}
