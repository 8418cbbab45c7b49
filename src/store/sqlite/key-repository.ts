import type Database from 'better-sqlite3';
import type { KeyMaterial, KeyScope, KmsKey } from '../../keys/key.js';
import type { KeyState } from '../../keys/key-state.js';
import { RevisionConflictError, type KeyRepository, type KeyWrite, type Page, type PageRequest } from '../store.js';
import {
  INSERT_KEY_MATERIAL,
  SELECT_KEY_MATERIAL_COLUMNS,
  keyMaterialFromRow,
  keyMaterialValues,
  type KeyMaterialRow,
  type KeyMaterialValues,
} from '../records/key-material-row.js';
import { deserializeKey, KEY_COLUMN_NAMES, keyColumns, type KeyColumns } from '../records/key-record.js';
import { startAfter, toPage } from '../records/page-marker.js';
import { keyFromReadAlongRow, READ_ALONG_MATERIAL_COLUMNS, type KeyReadAlongRow } from '../records/key-read-along-row.js';
import { referencing } from './foreign-key-violation.js';
import { insertingUnique } from './unique-violation.js';

/**
 * KMS keys and their material versions in SQLite. Statements are prepared once: `get` and `getMaterial`
 * run on every cryptographic request that misses the caches, and `get` reads the key's current material and
 * whether it has grants in the same statement (key-read-along.ts), so that such a miss is one query. Each write
 * is one `BEGIN IMMEDIATE` transaction, which takes the write lock up front so concurrent writers from other
 * processes queue on the busy timeout instead of failing on a stale snapshot.
 */
export class SqliteKeyRepository implements KeyRepository {
  readonly #insertKey: Database.Statement<KeyColumns>;
  readonly #updateKey: Database.Statement<
    [string, number | null, number | null, number | null, number, string, string, number]
  >;
  readonly #getKey: Database.Statement<[string, string, string], KeyReadAlongRow>;
  readonly #listKeys: Database.Statement<[string, string, string, number], string>;
  readonly #listRelated: Database.Statement<[string, string], string>;
  readonly #listDue: Database.Statement<[number, number, number], string>;
  readonly #countByState: Database.Statement<[], { state: KeyState; keys: number }>;
  readonly #deleteKey: Database.Statement<[string, string, string]>;
  readonly #deleteAliasesOfKey: Database.Statement<[string, string, string]>;
  readonly #insertMaterial: Database.Statement<KeyMaterialValues>;
  readonly #deleteMaterial: Database.Statement<[string, string]>;
  readonly #getMaterial: Database.Statement<[string, string], KeyMaterialRow>;
  readonly #listMaterials: Database.Statement<[string], KeyMaterialRow>;
  readonly #writeTransaction: (writes: readonly KeyWrite[]) => void;
  readonly #deleteTransaction: (scope: KeyScope, keyId: string) => void;

  constructor(db: Database.Database) {
    this.#insertKey = db.prepare(
      `INSERT INTO keys (${KEY_COLUMN_NAMES}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#updateKey = db.prepare(
      `UPDATE keys SET state = ?, deletion_at = ?, next_rotation_at = ?, material_expires_at = ?, revision = ?,
       record = ? WHERE arn = ? AND revision = ?`,
    );
    this.#getKey = db.prepare<[string, string, string], KeyReadAlongRow>(
      `SELECT k.record, k.arn AS key_arn, ${READ_ALONG_MATERIAL_COLUMNS},
         EXISTS (SELECT 1 FROM grants g WHERE g.key_arn = k.arn) AS has_grants
       FROM keys k LEFT JOIN key_materials m ON m.key_arn = k.arn AND m.id = k.record ->> '$.currentMaterialId'
       WHERE k.account_id = ? AND k.region = ? AND k.id = ?`,
    );
    this.#listKeys = db.prepare<[string, string, string, number], string>(
      'SELECT record FROM keys WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?',
    ).pluck();
    this.#listRelated = db.prepare<[string, string], string>(
      'SELECT record FROM keys WHERE account_id = ? AND id = ? ORDER BY region',
    ).pluck();
    // No ORDER BY: with one, SQLite prefers scanning the whole table in index order to searching the
    // due-time indexes (MULTI-INDEX OR); the few due keys are sorted afterwards instead.
    this.#listDue = db.prepare<[number, number, number], string>(
      `SELECT record FROM keys
       WHERE (state = 'PendingDeletion' AND deletion_at <= ?) OR next_rotation_at <= ? OR material_expires_at <= ?`,
    ).pluck();
    this.#countByState = db.prepare<[], { state: KeyState; keys: number }>('SELECT state, COUNT(*) AS keys FROM keys GROUP BY state');
    this.#deleteKey = db.prepare('DELETE FROM keys WHERE account_id = ? AND region = ? AND id = ?');
    this.#deleteAliasesOfKey = db.prepare(
      'DELETE FROM aliases WHERE account_id = ? AND region = ? AND target_key_id = ?',
    );
    this.#insertMaterial = db.prepare(INSERT_KEY_MATERIAL);
    this.#deleteMaterial = db.prepare('DELETE FROM key_materials WHERE key_arn = ? AND id = ?');
    this.#getMaterial = db.prepare(
      `SELECT ${SELECT_KEY_MATERIAL_COLUMNS} FROM key_materials WHERE key_arn = ? AND id = ?`,
    );
    this.#listMaterials = db.prepare(
      `SELECT ${SELECT_KEY_MATERIAL_COLUMNS} FROM key_materials WHERE key_arn = ? ORDER BY seq`,
    );
    this.#writeTransaction = db.transaction((writes: readonly KeyWrite[]) => {
      for (const write of writes) this.#applyWrite(write);
    }).immediate;
    this.#deleteTransaction = db.transaction((scope: KeyScope, keyId: string) => {
      this.#deleteAliasesOfKey.run(scope.accountId, scope.region, keyId);
      this.#deleteKey.run(scope.accountId, scope.region, keyId); // materials follow by ON DELETE CASCADE
    }).immediate;
  }

  async create(key: KmsKey, material?: KeyMaterial): Promise<void> {
    if (key.revision !== 1) throw new Error(`a new key must have revision 1, got ${key.revision}`);
    this.#writeTransaction([{ key, ...(material ? { addMaterials: [material] } : {}) }]);
  }

  async get(scope: KeyScope, keyId: string): Promise<KmsKey | undefined> {
    const row = this.#getKey.get(scope.accountId, scope.region, keyId);
    return row === undefined ? undefined : keyFromReadAlongRow(row);
  }

  async list(scope: KeyScope, page: PageRequest): Promise<Page<KmsKey>> {
    const after = startAfter('keys', page);
    const records = this.#listKeys.all(scope.accountId, scope.region, after, page.limit + 1);
    return toPage('keys', records.map(deserializeKey), page.limit, (key) => key.id);
  }

  async listRelated(accountId: string, keyId: string): Promise<KmsKey[]> {
    return this.#listRelated.all(accountId, keyId).map(deserializeKey);
  }

  async update(key: KmsKey, newMaterial?: KeyMaterial): Promise<void> {
    if (key.revision === 1) throw new Error(`an updated key must have a revision above 1: ${key.arn}`);
    this.#writeTransaction([{ key, ...(newMaterial ? { addMaterials: [newMaterial] } : {}) }]);
  }

  async write(writes: readonly KeyWrite[]): Promise<void> {
    this.#writeTransaction(writes);
  }

  async delete(scope: KeyScope, keyId: string): Promise<void> {
    this.#deleteTransaction(scope, keyId);
  }

  async getMaterial(keyArn: string, materialId: string): Promise<KeyMaterial | undefined> {
    const row = this.#getMaterial.get(keyArn, materialId);
    return row === undefined ? undefined : keyMaterialFromRow(row);
  }

  async listMaterials(keyArn: string): Promise<KeyMaterial[]> {
    return this.#listMaterials.all(keyArn).map(keyMaterialFromRow);
  }

  /** Due keys ordered by ARN, so a background job meets them in the same order on every run. */
  async listDue(now: number): Promise<KmsKey[]> {
    return this.#listDue
      .all(now, now, now)
      .map(deserializeKey)
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  async countByState(): Promise<Partial<Record<KeyState, number>>> {
    return Object.fromEntries(this.#countByState.all().map((row) => [row.state, row.keys]));
  }

  /** One key's write, inside the caller's transaction: revision 1 inserts, any other updates if unchanged since. */
  #applyWrite({ key, addMaterials = [], removeMaterialIds = [] }: KeyWrite): void {
    if (key.revision === 1) {
      // The insert's one foreign key is the custom key store's (the key's material is inserted afterwards).
      const store = `custom key store ${key.customKeyStoreId ?? ''}`;
      referencing(store, () => insertingUnique(`key ${key.arn}`, () => this.#insertKey.run(...keyColumns(key))));
    } else {
      // The custom key store (the last column) is immutable: an update leaves it as stored.
      const [, , , , state, deletionAt, nextRotationAt, expiresAt, revision, record] = keyColumns(key);
      const changed = this.#updateKey.run(state, deletionAt, nextRotationAt, expiresAt, revision, record, key.arn, revision - 1);
      if (changed.changes === 0) throw new RevisionConflictError(`key ${key.arn}`);
    }
    for (const materialId of removeMaterialIds) this.#deleteMaterial.run(key.arn, materialId);
    for (const material of addMaterials) this.#appendMaterial(key, material);
  }

  #appendMaterial(key: KmsKey, material: KeyMaterial): void {
    if (material.keyArn !== key.arn) {
      throw new Error(`key material ${material.id} belongs to ${material.keyArn}, not to ${key.arn}`);
    }
    insertingUnique(`key material ${material.id} of ${key.arn}`, () =>
      this.#insertMaterial.run(...keyMaterialValues(material)),
    );
  }
}
