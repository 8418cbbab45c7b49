import type pg from 'pg';
import type { Migration } from './migration.js';

/** The key store's tables: a write to any of them may change what a node has cached (ADR 0018). */
const KEY_STORE_TABLES = [
  'keys', 'key_materials', 'aliases', 'accounts', 'access_keys', 'settings', 'iam_users', 'iam_roles',
  'iam_inline_policies', 'grants',
] as const;

/**
 * Migration 2: the change counter that validates every node's caches (`../change-counter.ts`, ADR 0018).
 *
 * One row, advanced by a statement-level trigger on every table of the key store, in the writing transaction
 * itself. The new value therefore becomes visible at the same instant as the change it counts (at `COMMIT`), never
 * before it: a node that reads the counter and finds it unchanged knows that nothing it cached was changed by a
 * commit it could have seen. A sequence would not do: `nextval` is visible to others before the commit.
 * Updating one row serializes the key store's writers at their commit; those writes are administrative and few
 * (the audit trail, the busy writer, has tables of its own and no trigger).
 */
const CHANGE_COUNTER = `
  CREATE TABLE store_changes (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    generation BIGINT  NOT NULL
  );
  INSERT INTO store_changes (id, generation) VALUES (1, 1);
  CREATE FUNCTION count_store_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE store_changes SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
  END
  $$;
  ${KEY_STORE_TABLES.map((table) => `
  CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION count_store_change();`).join('')}
`;

export const changeCounter: Migration = {
  version: 2,
  name: 'change counter for cross-node cache validation',
  async apply(client: pg.PoolClient): Promise<void> {
    await client.query(CHANGE_COUNTER);
  },
};
