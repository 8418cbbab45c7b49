import type { KeyMaterial, RotationType } from '../../keys/key.js';

/** A `key_materials` row as both backends return it (bytes as Buffers, absent values as null). */
export interface KeyMaterialRow {
  readonly key_arn: string;
  readonly id: string;
  readonly created_at: number;
  readonly rotation_type: string | null;
  readonly wrapped: Buffer;
  readonly public_key: Buffer | null;
}

/** The columns of a `key_materials` insert, in `INSERT_KEY_MATERIAL` order. */
export type KeyMaterialValues = [string, string, number, string | null, Buffer, Buffer | null];

export const SELECT_KEY_MATERIAL_COLUMNS = 'key_arn, id, created_at, rotation_type, wrapped, public_key';

export const INSERT_KEY_MATERIAL =
  `INSERT INTO key_materials (${SELECT_KEY_MATERIAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`;

export function keyMaterialValues(material: KeyMaterial): KeyMaterialValues {
  return [
    material.keyArn,
    material.id,
    material.createdAt,
    material.rotationType ?? null,
    material.wrapped,
    material.publicKey ?? null,
  ];
}

/** The key material a row holds; optional fields stored as null come back absent. */
export function keyMaterialFromRow(row: KeyMaterialRow): KeyMaterial {
  return {
    keyArn: row.key_arn,
    id: row.id,
    createdAt: row.created_at,
    ...(row.rotation_type === null ? {} : { rotationType: row.rotation_type as RotationType }),
    wrapped: row.wrapped,
    ...(row.public_key === null ? {} : { publicKey: row.public_key }),
  };
}
