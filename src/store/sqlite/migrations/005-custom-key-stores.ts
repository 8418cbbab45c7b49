import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';

/**
 * Migration 5: custom key stores (ADR 0022).
 *
 * - `hsm_clusters`: the PKCS#11 tokens the operator registered (`strongroom hsm register`); the module path is the
 *   operator's, never a caller's.
 * - `custom_key_stores`: one row per store, names unique per account and region. An AWS_CLOUDHSM store names a
 *   registered cluster (no cascade: a cluster a store uses cannot be removed), one store per cluster in any account,
 *   and keeps the token user's PIN only wrapped by the root of trust (`wrapped_pin`). An EXTERNAL_KEY_STORE store
 *   keeps its proxy's address (unique per account and region) and credential, the secret wrapped (ADR 0023); the
 *   columns of the other type are null.
 * - `keys.custom_key_store_id`: the store of a key of origin AWS_CLOUDHSM (null for every other key), checked by the
 *   database both ways: a key cannot name a missing store, and a store with keys cannot be deleted. SQLite allows
 *   adding a column with a REFERENCES clause while foreign keys are on because its default is NULL.
 * - `keys.xks_key_id`: the external key of a key of origin EXTERNAL_KEY_STORE, unique within its store.
 *
 * Amended before any release to add external key stores (ADR 0023, Decision 4).
 */
const CUSTOM_KEY_STORES = `
  CREATE TABLE hsm_clusters (
    cluster_id    TEXT    NOT NULL PRIMARY KEY,
    module_path   TEXT    NOT NULL,
    token_label   TEXT    NOT NULL,
    registered_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE custom_key_stores (
    id                       TEXT    NOT NULL PRIMARY KEY,
    account_id               TEXT    NOT NULL,
    region                   TEXT    NOT NULL,
    name                     TEXT    NOT NULL,
    type                     TEXT    NOT NULL,
    connection_state         TEXT    NOT NULL,
    connection_error_code    TEXT,
    created_at               INTEGER NOT NULL,
    revision                 INTEGER NOT NULL,
    cluster_id               TEXT    REFERENCES hsm_clusters (cluster_id),
    trust_anchor_certificate TEXT,
    wrapped_pin              BLOB,
    xks_uri_endpoint         TEXT,
    xks_uri_path             TEXT,
    xks_connectivity         TEXT,
    xks_access_key_id        TEXT,
    xks_wrapped_secret       BLOB,
    UNIQUE (account_id, region, name),
    UNIQUE (cluster_id),
    UNIQUE (account_id, region, xks_uri_endpoint, xks_uri_path)
  ) STRICT;
  CREATE INDEX custom_key_stores_by_scope ON custom_key_stores (account_id, region, id);

  ALTER TABLE keys ADD COLUMN custom_key_store_id TEXT REFERENCES custom_key_stores (id);
  CREATE INDEX keys_by_custom_key_store ON keys (custom_key_store_id) WHERE custom_key_store_id IS NOT NULL;
  ALTER TABLE keys ADD COLUMN xks_key_id TEXT;
  CREATE UNIQUE INDEX keys_unique_xks_key ON keys (custom_key_store_id, xks_key_id) WHERE xks_key_id IS NOT NULL;
`;

export const customKeyStores: Migration = {
  version: 5,
  name: 'custom key stores and HSM clusters',
  apply(db: Database.Database): void {
    db.exec(CUSTOM_KEY_STORES);
  },
};
