import type pg from 'pg';
import type { KeyMaterial, KeyScope, KmsKey } from '../../keys/key.js';
import type { KeyState } from '../../keys/key-state.js';
import {
  SELECT_KEY_MATERIAL_COLUMNS,
  keyMaterialFromRow,
  keyMaterialValues,
  type KeyMaterialRow,
} from '../records/key-material-row.js';
import { deserializeKey, KEY_COLUMN_NAMES, keyColumns } from '../records/key-record.js';
import { startAfter, toPage } from '../records/page-marker.js';
import { keyFromReadAlongRow, READ_ALONG_MATERIAL_COLUMNS, type KeyReadAlongRow } from '../records/key-read-along-row.js';
import { RevisionConflictError, type KeyRepository, type KeyWrite, type Page, type PageRequest } from '../store.js';
import { placeholders } from './placeholders.js';
import type { PostgresStateReset } from './state-reset.js';
import { STATE_EPOCH_ROW } from './state-reset.js';
import { inTransaction } from './transaction.js';
import { referencing } from './foreign-key-violation.js';
import { CUSTOM_KEY_STORE_CONSTRAINTS } from './migrations/005-custom-key-stores.js';
import { insertingUnique } from './unique-violation.js';

const INSERT_KEY = `INSERT INTO keys (${KEY_COLUMN_NAMES}) VALUES (${placeholders(12)})`;
const UPDATE_KEY = `UPDATE keys SET state = $1, deletion_at = $2, next_rotation_at = $3, material_expires_at = $4,
  revision = $5, record = $6 WHERE arn = $7 AND revision = $8`;
/**
 * The key and the state epoch in one snapshot: one row always, `record` null when there is no such key. The key's
 * current material and whether it has grants come with it (key-read-along.ts): a cache miss is one round trip.
 */
const GET_KEY = `SELECT epoch.state_epoch, keys.record, keys.arn AS key_arn, ${READ_ALONG_MATERIAL_COLUMNS},
    EXISTS (SELECT 1 FROM grants g WHERE g.key_arn = keys.arn) AS has_grants
  FROM ${STATE_EPOCH_ROW}
  LEFT JOIN keys ON keys.account_id = $1 AND keys.region = $2 AND keys.id = $3
  LEFT JOIN key_materials m ON m.key_arn = keys.arn AND m.id = keys.record::json ->> 'currentMaterialId'`;
const LIST_KEYS = 'SELECT record FROM keys WHERE account_id = $1 AND region = $2 AND id > $3 ORDER BY id LIMIT $4';
const LIST_RELATED = 'SELECT record FROM keys WHERE account_id = $1 AND id = $2 ORDER BY region';
const LIST_DUE = `SELECT record FROM keys
  WHERE (state = 'PendingDeletion' AND deletion_at <= $1) OR next_rotation_at <= $1 OR material_expires_at <= $1
  ORDER BY arn`;
const COUNT_BY_STATE = 'SELECT state, COUNT(*) AS keys FROM keys GROUP BY state';
const DELETE_KEY = 'DELETE FROM keys WHERE account_id = $1 AND region = $2 AND id = $3';
const DELETE_ALIASES_OF_KEY = 'DELETE FROM aliases WHERE account_id = $1 AND region = $2 AND target_key_id = $3';
const INSERT_MATERIAL = `INSERT INTO key_materials (${SELECT_KEY_MATERIAL_COLUMNS}) VALUES (${placeholders(6)})`;
const DELETE_MATERIAL = 'DELETE FROM key_materials WHERE key_arn = $1 AND id = $2';
const GET_MATERIAL = `SELECT ${SELECT_KEY_MATERIAL_COLUMNS} FROM key_materials WHERE key_arn = $1 AND id = $2`;
const LIST_MATERIALS = `SELECT ${SELECT_KEY_MATERIAL_COLUMNS} FROM key_materials WHERE key_arn = $1 ORDER BY seq`;


/**
 * KMS keys and their material versions in PostgreSQL. A write of several rows is one transaction; an update is
 * optimistic — `UPDATE ... WHERE revision = <expected>` changes no row when another node got there first, which
 * is a `RevisionConflictError` for the service to retry on. `get` runs on every cryptographic request, and also
 * reads the state epoch (`state-reset.ts`), in the same statement.
 */
export class PostgresKeyRepository implements KeyRepository {
  readonly #pool: pg.Pool;
  readonly #stateReset: PostgresStateReset;

  constructor(pool: pg.Pool, stateReset: PostgresStateReset) {
    this.#pool = pool;
    this.#stateReset = stateReset;
  }

  async create(key: KmsKey, material?: KeyMaterial): Promise<void> {
    if (key.revision !== 1) throw new Error(`a new key must have revision 1, got ${key.revision}`);
    await this.write([{ key, ...(material ? { addMaterials: [material] } : {}) }]);
  }

  async get(scope: KeyScope, keyId: string): Promise<KmsKey | undefined> {
    const result = await this.#pool.query<{ state_epoch: string | null } & (KeyReadAlongRow | { record: null })>(GET_KEY, [
      scope.accountId,
      scope.region,
      keyId,
    ]);
    const row = result.rows[0];
    this.#stateReset.observe(row?.state_epoch ?? null);
    return row === undefined || row.record === null ? undefined : keyFromReadAlongRow(row);
  }

  async list(scope: KeyScope, page: PageRequest): Promise<Page<KmsKey>> {
    const after = startAfter('keys', page);
    const result = await this.#pool.query<{ record: string }>(LIST_KEYS, [scope.accountId, scope.region, after, page.limit + 1]);
    return toPage('keys', result.rows.map((row) => deserializeKey(row.record)), page.limit, (key) => key.id);
  }

  async listRelated(accountId: string, keyId: string): Promise<KmsKey[]> {
    const result = await this.#pool.query<{ record: string }>(LIST_RELATED, [accountId, keyId]);
    return result.rows.map((row) => deserializeKey(row.record));
  }

  async update(key: KmsKey, newMaterial?: KeyMaterial): Promise<void> {
    if (key.revision === 1) throw new Error(`an updated key must have a revision above 1: ${key.arn}`);
    // Without new material the update is one statement, atomic and committed on its own.
    if (newMaterial === undefined) return updateKey(this.#pool, key);
    await this.write([{ key, addMaterials: [newMaterial] }]);
  }

  async write(writes: readonly KeyWrite[]): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      for (const write of writes) await applyWrite(client, write);
    });
  }

  async delete(scope: KeyScope, keyId: string): Promise<void> {
    const values = [scope.accountId, scope.region, keyId];
    await inTransaction(this.#pool, async (client) => {
      await client.query(DELETE_ALIASES_OF_KEY, values);
      await client.query(DELETE_KEY, values); // material versions and grants follow by ON DELETE CASCADE
    });
  }

  async getMaterial(keyArn: string, materialId: string): Promise<KeyMaterial | undefined> {
    const result = await this.#pool.query<KeyMaterialRow>(GET_MATERIAL, [keyArn, materialId]);
    const row = result.rows[0];
    return row === undefined ? undefined : keyMaterialFromRow(row);
  }

  async listMaterials(keyArn: string): Promise<KeyMaterial[]> {
    const result = await this.#pool.query<KeyMaterialRow>(LIST_MATERIALS, [keyArn]);
    return result.rows.map(keyMaterialFromRow);
  }

  /** Due keys ordered by ARN, so a background job meets them in the same order on every run. */
  async listDue(now: number): Promise<KmsKey[]> {
    const result = await this.#pool.query<{ record: string }>(LIST_DUE, [now]);
    return result.rows.map((row) => deserializeKey(row.record));
  }

  async countByState(): Promise<Partial<Record<KeyState, number>>> {
    // COUNT(*) is a bigint, which the driver returns as text.
    const result = await this.#pool.query<{ state: KeyState; keys: string }>(COUNT_BY_STATE);
    return Object.fromEntries(result.rows.map((row) => [row.state, Number(row.keys)]));
  }
}

/** One key's write, inside the caller's transaction: revision 1 inserts, any other updates if unchanged since. */
async function applyWrite(client: pg.ClientBase, { key, addMaterials = [], removeMaterialIds = [] }: KeyWrite): Promise<void> {
  if (key.revision === 1) {
    const store = `custom key store ${key.customKeyStoreId ?? ''}`;
    await referencing(CUSTOM_KEY_STORE_CONSTRAINTS.keyStore, store, () =>
      insertingUnique(`key ${key.arn}`, () => client.query(INSERT_KEY, keyColumns(key))),
    );
  } else {
    await updateKey(client, key);
  }
  for (const materialId of removeMaterialIds) await client.query(DELETE_MATERIAL, [key.arn, materialId]);
  for (const material of addMaterials) await appendMaterial(client, key, material);
}

async function updateKey(client: pg.ClientBase | pg.Pool, key: KmsKey): Promise<void> {
  // The custom key store (the last column) is immutable: an update leaves it as stored.
  const [, , , , state, deletionAt, nextRotationAt, expiresAt, revision, record] = keyColumns(key);
  const values = [state, deletionAt, nextRotationAt, expiresAt, revision, record, key.arn, revision - 1];
  const changed = await client.query(UPDATE_KEY, values);
  if (changed.rowCount !== 1) throw new RevisionConflictError(`key ${key.arn}`);
}

async function appendMaterial(client: pg.ClientBase, key: KmsKey, material: KeyMaterial): Promise<void> {
  if (material.keyArn !== key.arn) {
    throw new Error(`key material ${material.id} belongs to ${material.keyArn}, not to ${key.arn}`);
  }
  await insertingUnique(`key material ${material.id} of ${key.arn}`, () =>
    client.query(INSERT_MATERIAL, keyMaterialValues(material)),
  );
}
