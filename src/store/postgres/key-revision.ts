import type pg from 'pg';
import { deserializeKey, serializeKey } from '../records/key-record.js';

/**
 * Advances a key's revision by one, record and column together, inside the caller's transaction — what a grant
 * change does, so every node's authorization cache (keyed by the key's revision, read on every request) sees
 * the change on its next request. The key row is locked (`FOR UPDATE`) from the read to the commit, so a
 * concurrent key update either waits or conflicts; the record is rewritten by `key-record.ts`, never edited as
 * JSON in SQL. A key that does not exist is left so.
 */
export async function advanceKeyRevision(client: pg.ClientBase, keyArn: string): Promise<void> {
  const found = await client.query<{ record: string }>('SELECT record FROM keys WHERE arn = $1 FOR UPDATE', [keyArn]);
  const record = found.rows[0]?.record;
  if (record === undefined) return;
  const key = deserializeKey(record);
  const advanced = { ...key, revision: key.revision + 1 };
  await client.query('UPDATE keys SET revision = $1, record = $2 WHERE arn = $3', [
    advanced.revision,
    serializeKey(advanced),
    keyArn,
  ]);
}
