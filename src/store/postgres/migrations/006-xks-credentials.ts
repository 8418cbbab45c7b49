import type pg from 'pg';
import type { Migration } from './migration.js';

/**
 * Migration 6: the credentials of the XKS proxy API (ADR 0023, Decision 2), as SQLite's migration 6: one row per
 * credential, its secret wrapped by the root of trust, no reference to `iam_users` (the user is checked at each use).
 * The table counts in the change counter (migration 2), so a deleted credential stops working on every node at once.
 */
const XKS_CREDENTIALS = `
  CREATE TABLE xks_credentials (
    access_key_id  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id     TEXT COLLATE "C" NOT NULL,
    user_name      TEXT   NOT NULL,
    wrapped_secret BYTEA  NOT NULL,
    created_at     BIGINT NOT NULL,
    last_used_at   BIGINT
  );
  CREATE INDEX xks_credentials_by_account ON xks_credentials (account_id, access_key_id);
  CREATE TRIGGER xks_credentials_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON xks_credentials
    FOR EACH STATEMENT EXECUTE FUNCTION count_store_change();
`;

export const xksCredentials: Migration = {
  version: 6,
  name: 'XKS proxy credentials',
  async apply(client: pg.PoolClient): Promise<void> {
    await client.query(XKS_CREDENTIALS);
  },
};
