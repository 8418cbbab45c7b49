import type pg from 'pg';
import type { CustomKeyStore, HsmCluster } from '../../keys/custom-key-store.js';
import type { KeyScope } from '../../keys/key.js';
import {
  CUSTOM_KEY_STORE_COLUMNS, CUSTOM_KEY_STORE_UPDATED_COLUMNS, HSM_CLUSTER_COLUMNS, customKeyStoreFromRow,
  customKeyStoreUpdateValues, customKeyStoreValues, hsmClusterFromRow, hsmClusterValues,
  type CustomKeyStoreRow, type HsmClusterRow,
} from '../records/custom-key-store-row.js';
import { startAfter, toPage } from '../records/page-marker.js';
import {
  DuplicateError, RevisionConflictError, type CustomKeyStoreRepository, type Page, type PageRequest,
} from '../store.js';
import { deletingReferenced, referencing } from './foreign-key-violation.js';
import { CUSTOM_KEY_STORE_CONSTRAINTS } from './migrations/005-custom-key-stores.js';
import { placeholders } from './placeholders.js';
import { insertingUnique, isUniqueViolation } from './unique-violation.js';

const INSERT_CLUSTER = `INSERT INTO hsm_clusters (${HSM_CLUSTER_COLUMNS}) VALUES (${placeholders(4)})`;
const GET_CLUSTER = `SELECT ${HSM_CLUSTER_COLUMNS} FROM hsm_clusters WHERE cluster_id = $1`;
const LIST_CLUSTERS = `SELECT ${HSM_CLUSTER_COLUMNS} FROM hsm_clusters ORDER BY cluster_id`;
const DELETE_CLUSTER = 'DELETE FROM hsm_clusters WHERE cluster_id = $1';
const INSERT = `INSERT INTO custom_key_stores (${CUSTOM_KEY_STORE_COLUMNS}) VALUES (${placeholders(CUSTOM_KEY_STORE_UPDATED_COLUMNS.length + 4)})`;
const GET = `SELECT ${CUSTOM_KEY_STORE_COLUMNS} FROM custom_key_stores WHERE account_id = $1 AND region = $2 AND id = $3`;
const GET_BY_NAME = `SELECT ${CUSTOM_KEY_STORE_COLUMNS} FROM custom_key_stores
  WHERE account_id = $1 AND region = $2 AND name = $3`;
const LIST = `SELECT ${CUSTOM_KEY_STORE_COLUMNS} FROM custom_key_stores
  WHERE account_id = $1 AND region = $2 AND id > $3 ORDER BY id LIMIT $4`;
const UPDATED = CUSTOM_KEY_STORE_UPDATED_COLUMNS.length;
const UPDATE = `UPDATE custom_key_stores
  SET ${CUSTOM_KEY_STORE_UPDATED_COLUMNS.map((column, index) => `${column} = $${index + 1}`).join(', ')}
  WHERE account_id = $${UPDATED + 1} AND region = $${UPDATED + 2} AND id = $${UPDATED + 3} AND revision = $${UPDATED + 4}`;
const DELETE = 'DELETE FROM custom_key_stores WHERE account_id = $1 AND region = $2 AND id = $3';

/** Which unique constraint (named in migration 5) a duplicate violated, as the error the contract names. */
const DUPLICATES: ReadonlyMap<string, string> = new Map([
  [CUSTOM_KEY_STORE_CONSTRAINTS.uniqueName, 'custom key store name'],
  [CUSTOM_KEY_STORE_CONSTRAINTS.uniqueCluster, 'cluster'],
  [CUSTOM_KEY_STORE_CONSTRAINTS.uniqueXksProxyUri, 'xks proxy uri'],
]);

/**
 * Custom key stores and HSM clusters in PostgreSQL (ADR 0022). Every method is one statement, committed on its own;
 * `update` is optimistic (`WHERE revision = <expected>`), as a key's. The database keeps the references checked
 * (migration 5), and each write advances the change counter by trigger, so other nodes' caches see it.
 */
export class PostgresCustomKeyStoreRepository implements CustomKeyStoreRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async registerCluster(cluster: HsmCluster): Promise<void> {
    await insertingUnique(`cluster ${cluster.clusterId}`, () => this.#pool.query(INSERT_CLUSTER, hsmClusterValues(cluster)));
  }

  async getCluster(clusterId: string): Promise<HsmCluster | undefined> {
    const row = (await this.#pool.query<HsmClusterRow>(GET_CLUSTER, [clusterId])).rows[0];
    return row === undefined ? undefined : hsmClusterFromRow(row);
  }

  async listClusters(): Promise<HsmCluster[]> {
    return (await this.#pool.query<HsmClusterRow>(LIST_CLUSTERS)).rows.map(hsmClusterFromRow);
  }

  async removeCluster(clusterId: string): Promise<boolean> {
    const deleted = await deletingReferenced(CUSTOM_KEY_STORE_CONSTRAINTS.cluster, `cluster ${clusterId}`, () =>
      this.#pool.query(DELETE_CLUSTER, [clusterId]),
    );
    return (deleted.rowCount ?? 0) > 0;
  }

  async create(store: CustomKeyStore): Promise<void> {
    if (store.revision !== 1) throw new Error(`a new custom key store must have revision 1, got ${store.revision}`);
    await writingStore(store, () => this.#pool.query(INSERT, customKeyStoreValues(store)));
  }

  async get(scope: KeyScope, id: string): Promise<CustomKeyStore | undefined> {
    return this.#one(GET, [scope.accountId, scope.region, id]);
  }

  async getByName(scope: KeyScope, name: string): Promise<CustomKeyStore | undefined> {
    return this.#one(GET_BY_NAME, [scope.accountId, scope.region, name]);
  }

  async list(scope: KeyScope, page: PageRequest): Promise<Page<CustomKeyStore>> {
    const after = startAfter('custom-key-stores', page);
    const result = await this.#pool.query<CustomKeyStoreRow>(LIST, [scope.accountId, scope.region, after, page.limit + 1]);
    return toPage('custom-key-stores', result.rows.map(customKeyStoreFromRow), page.limit, (store) => store.id);
  }

  async update(store: CustomKeyStore): Promise<void> {
    if (store.revision <= 1) throw new Error(`an updated custom key store must have a revision above 1: ${store.id}`);
    const changed = await writingStore(store, () => this.#pool.query(UPDATE, customKeyStoreUpdateValues(store)));
    if (changed.rowCount !== 1) throw new RevisionConflictError(`custom key store ${store.id}`);
  }

  async delete(scope: KeyScope, id: string): Promise<void> {
    await deletingReferenced(CUSTOM_KEY_STORE_CONSTRAINTS.keyStore, `custom key store ${id}`, () =>
      this.#pool.query(DELETE, [scope.accountId, scope.region, id]),
    );
  }

  async #one(sql: string, values: unknown[]): Promise<CustomKeyStore | undefined> {
    const row = (await this.#pool.query<CustomKeyStoreRow>(sql, values)).rows[0];
    return row === undefined ? undefined : customKeyStoreFromRow(row);
  }
}

/**
 * Runs an insert or update of `store`: an unregistered cluster is a `MissingReferenceError`, and a duplicate is told
 * apart by the constraint PostgreSQL names (a duplicate id by none of them).
 */
async function writingStore<T>(store: CustomKeyStore, write: () => Promise<T>): Promise<T> {
  try {
    const cluster = store.type === 'AWS_CLOUDHSM' ? store.clusterId : '';
    return await referencing(CUSTOM_KEY_STORE_CONSTRAINTS.cluster, `cluster ${cluster}`, write);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const constraint = (error as { constraint?: unknown }).constraint;
    const duplicate = typeof constraint === 'string' ? DUPLICATES.get(constraint) : undefined;
    throw new DuplicateError(duplicate ?? `custom key store ${store.id}`);
  }
}
