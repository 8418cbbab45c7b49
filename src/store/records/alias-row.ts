import type { Alias } from '../../keys/key.js';

/** An `aliases` row as both backends return it. */
export interface AliasRow {
  readonly account_id: string;
  readonly region: string;
  readonly name: string;
  readonly target_key_id: string;
  readonly created_at: number;
  readonly updated_at: number;
}

/** The columns of an `aliases` row, in the order of the values an insert binds. */
export const ALIAS_COLUMNS = 'account_id, region, name, target_key_id, created_at, updated_at';

export function aliasFromRow(row: AliasRow): Alias {
  return {
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    targetKeyId: row.target_key_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
