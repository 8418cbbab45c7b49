import Database from 'better-sqlite3';
import type { CustomKeyStore, HsmCluster } from '../../keys/custom-key-store.js';
import type { KeyScope } from '../../keys/key.js';
import {
  CUSTOM_KEY_STORE_COLUMNS, CUSTOM_KEY_STORE_UPDATED_COLUMNS, HSM_CLUSTER_COLUMNS, customKeyStoreFromRow,
  customKeyStoreUpdateValues, customKeyStoreValues, hsmClusterFromRow, hsmClusterValues,
  type CustomKeyStoreRow, type CustomKeyStoreUpdateValues, type CustomKeyStoreValues, type HsmClusterRow,
  type HsmClusterValues,
} from '../records/custom-key-store-row.js';
import { startAfter, toPage } from '../records/page-marker.js';
import {
  DuplicateError, RevisionConflictError, type CustomKeyStoreRepository, type Page, type PageRequest,
} from '../store.js';
import { deletingReferenced, referencing } from './foreign-key-violation.js';
import { insertingUnique, isUniqueViolation } from './unique-violation.js';

const SCOPED = 'account_id = ? AND region = ?';

/**
 * Custom key stores and HSM clusters in SQLite (ADR 0022). Statements are prepared once; each is its own
 * transaction, and none reads before it writes: the revision check of `update` is in its `WHERE`. The database
 * keeps the references checked (migration 5): a store's cluster must be registered, a cluster a store uses and a
 * store keys name cannot be deleted.
 */
export class SqliteCustomKeyStoreRepository implements CustomKeyStoreRepository {
  readonly #insertCluster: Database.Statement<HsmClusterValues>;
  readonly #getCluster: Database.Statement<[string], HsmClusterRow>;
  readonly #listClusters: Database.Statement<[], HsmClusterRow>;
  readonly #deleteCluster: Database.Statement<[string]>;
  readonly #insert: Database.Statement<CustomKeyStoreValues>;
  readonly #get: Database.Statement<[string, string, string], CustomKeyStoreRow>;
  readonly #getByName: Database.Statement<[string, string, string], CustomKeyStoreRow>;
  readonly #list: Database.Statement<[string, string, string, number], CustomKeyStoreRow>;
  readonly #update: Database.Statement<CustomKeyStoreUpdateValues>;
  readonly #delete: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.#insertCluster = db.prepare(`INSERT INTO hsm_clusters (${HSM_CLUSTER_COLUMNS}) VALUES (?, ?, ?, ?)`);
    this.#getCluster = db.prepare(`SELECT ${HSM_CLUSTER_COLUMNS} FROM hsm_clusters WHERE cluster_id = ?`);
    this.#listClusters = db.prepare(`SELECT ${HSM_CLUSTER_COLUMNS} FROM hsm_clusters ORDER BY cluster_id`);
    this.#deleteCluster = db.prepare('DELETE FROM hsm_clusters WHERE cluster_id = ?');
    this.#insert = db.prepare(
      `INSERT INTO custom_key_stores (${CUSTOM_KEY_STORE_COLUMNS}) VALUES (${CUSTOM_KEY_STORE_UPDATED_COLUMNS.map(() => "?").join(", ")}, ?, ?, ?, ?)`,
    );
    this.#get = db.prepare(`SELECT ${CUSTOM_KEY_STORE_COLUMNS} FROM custom_key_stores WHERE ${SCOPED} AND id = ?`);
    this.#getByName = db.prepare(`SELECT ${CUSTOM_KEY_STORE_COLUMNS} FROM custom_key_stores WHERE ${SCOPED} AND name = ?`);
    this.#list = db.prepare(
      `SELECT ${CUSTOM_KEY_STORE_COLUMNS} FROM custom_key_stores WHERE ${SCOPED} AND id > ? ORDER BY id LIMIT ?`,
    );
    this.#update = db.prepare(
      `UPDATE custom_key_stores SET ${CUSTOM_KEY_STORE_UPDATED_COLUMNS.map((column) => `${column} = ?`).join(', ')}
       WHERE ${SCOPED} AND id = ? AND revision = ?`,
    );
    this.#delete = db.prepare(`DELETE FROM custom_key_stores WHERE ${SCOPED} AND id = ?`);
  }

  async registerCluster(cluster: HsmCluster): Promise<void> {
    insertingUnique(`cluster ${cluster.clusterId}`, () => this.#insertCluster.run(...hsmClusterValues(cluster)));
  }

  async getCluster(clusterId: string): Promise<HsmCluster | undefined> {
    const row = this.#getCluster.get(clusterId);
    return row === undefined ? undefined : hsmClusterFromRow(row);
  }

  async listClusters(): Promise<HsmCluster[]> {
    return this.#listClusters.all().map(hsmClusterFromRow);
  }

  async removeCluster(clusterId: string): Promise<boolean> {
    return deletingReferenced(`cluster ${clusterId}`, () => this.#deleteCluster.run(clusterId)).changes > 0;
  }

  async create(store: CustomKeyStore): Promise<void> {
    if (store.revision !== 1) throw new Error(`a new custom key store must have revision 1, got ${store.revision}`);
    writingStore(store, () => this.#insert.run(...customKeyStoreValues(store)));
  }

  async get(scope: KeyScope, id: string): Promise<CustomKeyStore | undefined> {
    const row = this.#get.get(scope.accountId, scope.region, id);
    return row === undefined ? undefined : customKeyStoreFromRow(row);
  }

  async getByName(scope: KeyScope, name: string): Promise<CustomKeyStore | undefined> {
    const row = this.#getByName.get(scope.accountId, scope.region, name);
    return row === undefined ? undefined : customKeyStoreFromRow(row);
  }

  async list(scope: KeyScope, page: PageRequest): Promise<Page<CustomKeyStore>> {
    const after = startAfter('custom-key-stores', page);
    const rows = this.#list.all(scope.accountId, scope.region, after, page.limit + 1);
    return toPage('custom-key-stores', rows.map(customKeyStoreFromRow), page.limit, (store) => store.id);
  }

  async update(store: CustomKeyStore): Promise<void> {
    if (store.revision <= 1) throw new Error(`an updated custom key store must have a revision above 1: ${store.id}`);
    const changed = writingStore(store, () => this.#update.run(...customKeyStoreUpdateValues(store)));
    if (changed.changes === 0) throw new RevisionConflictError(`custom key store ${store.id}`);
  }

  async delete(scope: KeyScope, id: string): Promise<void> {
    deletingReferenced(`custom key store ${id}`, () => this.#delete.run(scope.accountId, scope.region, id));
  }
}

/**
 * Runs an insert or update of `store`: its one foreign key is the cluster's (an external key store has none), and which unique constraint refused it
 * is told by the columns SQLite's message names ("UNIQUE constraint failed: custom_key_stores.cluster_id").
 */
function writingStore<T>(store: CustomKeyStore, write: () => T): T {
  try {
    return referencing(`cluster ${store.type === 'AWS_CLOUDHSM' ? store.clusterId : ''}`, write);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const message = error instanceof Database.SqliteError ? error.message : '';
    if (message.includes('custom_key_stores.cluster_id')) throw new DuplicateError('cluster');
    if (message.includes('custom_key_stores.name')) throw new DuplicateError('custom key store name');
    if (message.includes('custom_key_stores.xks_uri_path')) throw new DuplicateError('xks proxy uri');
    throw new DuplicateError(`custom key store ${store.id}`);
  }
}
