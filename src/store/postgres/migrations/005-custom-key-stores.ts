import type pg from 'pg';
import type { Migration } from './migration.js';

/**
 * The constraints whose violations the custom key store repository tells apart (`../custom-key-store-repository.ts`),
 * named here so that PostgreSQL reports them by these names.
 */
export const CUSTOM_KEY_STORE_CONSTRAINTS = Object.freeze({
  /** One store of a name per account and region. */
  uniqueName: 'custom_key_stores_unique_name',
  /** One store per cluster, across accounts. */
  uniqueCluster: 'custom_key_stores_unique_cluster',
  /** A store names a registered cluster. */
  cluster: 'custom_key_stores_cluster_fkey',
  /** A key names an existing store. */
  keyStore: 'keys_custom_key_store_fkey',
  /** One external key store per proxy URI (endpoint and path) per account and region. */
  uniqueXksProxyUri: 'custom_key_stores_unique_xks_proxy_uri',
  /** One key per external key within a store. */
  uniqueXksKey: 'keys_unique_xks_key',
});

/**
 * Migration 5: custom key stores (ADR 0022), as SQLite's migration 5.
 *
 * - `hsm_clusters`: the PKCS#11 tokens the operator registered; `custom_key_stores`: one row per store, naming a
 *   registered cluster (no cascade), one store per cluster in any account, names unique per account and region, the
 *   token user's PIN stored only wrapped by the root of trust.
 * - `keys.custom_key_store_id`: the store of a key of origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE, checked both ways by
 *   the database; `keys.xks_key_id`: an external key store key's external key, unique within its store.
 * - External key stores (ADR 0023): the proxy's columns; each type's columns are null for the other.
 *
 * Amended before any release to add external key stores (ADR 0023, Decision 4).
 * - Both new tables count in the change counter (migration 2), so every node's caches see a store's change.
 */
const CUSTOM_KEY_STORES = `
  CREATE TABLE hsm_clusters (
    cluster_id    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    module_path   TEXT   NOT NULL,
    token_label   TEXT   NOT NULL,
    registered_at BIGINT NOT NULL
  );

  CREATE TABLE custom_key_stores (
    id                       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id               TEXT COLLATE "C" NOT NULL,
    region                   TEXT COLLATE "C" NOT NULL,
    name                     TEXT COLLATE "C" NOT NULL,
    type                     TEXT   NOT NULL,
    connection_state         TEXT   NOT NULL,
    connection_error_code    TEXT,
    created_at               BIGINT NOT NULL,
    revision                 BIGINT NOT NULL,
    cluster_id               TEXT COLLATE "C"
      CONSTRAINT ${CUSTOM_KEY_STORE_CONSTRAINTS.cluster} REFERENCES hsm_clusters (cluster_id),
    trust_anchor_certificate TEXT,
    wrapped_pin              BYTEA,
    xks_uri_endpoint         TEXT COLLATE "C",
    xks_uri_path             TEXT COLLATE "C",
    xks_connectivity         TEXT,
    xks_access_key_id        TEXT,
    xks_wrapped_secret       BYTEA,
    CONSTRAINT ${CUSTOM_KEY_STORE_CONSTRAINTS.uniqueName} UNIQUE (account_id, region, name),
    CONSTRAINT ${CUSTOM_KEY_STORE_CONSTRAINTS.uniqueCluster} UNIQUE (cluster_id),
    CONSTRAINT ${CUSTOM_KEY_STORE_CONSTRAINTS.uniqueXksProxyUri} UNIQUE (account_id, region, xks_uri_endpoint, xks_uri_path)
  );
  CREATE INDEX custom_key_stores_by_scope ON custom_key_stores (account_id, region, id);

  ALTER TABLE keys ADD COLUMN custom_key_store_id TEXT COLLATE "C"
    CONSTRAINT ${CUSTOM_KEY_STORE_CONSTRAINTS.keyStore} REFERENCES custom_key_stores (id);
  CREATE INDEX keys_by_custom_key_store ON keys (custom_key_store_id) WHERE custom_key_store_id IS NOT NULL;
  ALTER TABLE keys ADD COLUMN xks_key_id TEXT COLLATE "C";
  CREATE UNIQUE INDEX ${CUSTOM_KEY_STORE_CONSTRAINTS.uniqueXksKey} ON keys (custom_key_store_id, xks_key_id)
    WHERE xks_key_id IS NOT NULL;
  ${['hsm_clusters', 'custom_key_stores'].map((table) => `
  CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION count_store_change();`).join('')}
`;

export const customKeyStores: Migration = {
  version: 5,
  name: 'custom key stores and HSM clusters',
  async apply(client: pg.PoolClient): Promise<void> {
    await client.query(CUSTOM_KEY_STORES);
  },
};
