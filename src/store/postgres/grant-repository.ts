import type pg from 'pg';
import { GRANT_COLUMNS, grantFromRow, grantPage, grantValues, seqAfter, type GrantRow } from '../records/grant-row.js';
import type { Grant, GrantRepository, Page, PageRequest } from '../store.js';
import { advanceKeyRevision } from './key-revision.js';
import { placeholders } from './placeholders.js';
import { inTransaction } from './transaction.js';
import { insertingUnique } from './unique-violation.js';

const SELECT = `SELECT seq, ${GRANT_COLUMNS} FROM grants`;
const INSERT = `INSERT INTO grants (${GRANT_COLUMNS}) VALUES (${placeholders(10)})`;
const GET = `${SELECT} WHERE key_arn = $1 AND grant_id = $2`;
const LIST = `${SELECT} WHERE key_arn = $1 AND seq > $2 ORDER BY seq LIMIT $3`;
const LIST_ALL = `${SELECT} WHERE key_arn = $1 ORDER BY seq`;
const LIST_RETIRABLE = `${SELECT} WHERE retiring_principal = $1 AND seq > $2 ORDER BY seq LIMIT $3`;
const FIND_BY_TOKEN = `${SELECT} WHERE token_hash = $1`;
const DELETE = 'DELETE FROM grants WHERE key_arn = $1 AND grant_id = $2';

/**
 * KMS grants in PostgreSQL. Creating or deleting a grant also advances its key's revision in the same
 * transaction (`key-revision.ts`), as in SQLite, so no node keeps allowing by a revoked grant.
 *
 * Listings page by `seq`, the creation order. Sequence numbers are taken at insert and become visible at
 * commit, so across nodes a grant committed late may carry a smaller number than one already listed; a listing
 * running at that moment may miss it, as AWS's eventually consistent listings may.
 */
export class PostgresGrantRepository implements GrantRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(grant: Grant): Promise<void> {
    // The key row is locked first: inserting the grant first would take a share lock on it (the foreign key
    // check) that two concurrent creates would then both try to upgrade — a deadlock.
    await inTransaction(this.#pool, async (client) => {
      await advanceKeyRevision(client, grant.keyArn);
      await insertingUnique(`grant ${grant.grantId} of ${grant.keyArn}`, () => client.query(INSERT, grantValues(grant)));
    });
  }

  async get(keyArn: string, grantId: string): Promise<Grant | undefined> {
    return this.#one(GET, [keyArn, grantId]);
  }

  async list(keyArn: string, page: PageRequest): Promise<Page<Grant>> {
    const result = await this.#pool.query<GrantRow>(LIST, [keyArn, seqAfter(page), page.limit + 1]);
    return grantPage(result.rows, page.limit);
  }

  async listAll(keyArn: string): Promise<Grant[]> {
    const result = await this.#pool.query<GrantRow>(LIST_ALL, [keyArn]);
    return result.rows.map(grantFromRow);
  }

  async listRetirable(principalArn: string, page: PageRequest): Promise<Page<Grant>> {
    const result = await this.#pool.query<GrantRow>(LIST_RETIRABLE, [principalArn, seqAfter(page), page.limit + 1]);
    return grantPage(result.rows, page.limit);
  }

  async findByTokenHash(tokenHash: Buffer): Promise<Grant | undefined> {
    return this.#one(FIND_BY_TOKEN, [tokenHash]);
  }

  async delete(keyArn: string, grantId: string): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      const deleted = await client.query(DELETE, [keyArn, grantId]);
      if ((deleted.rowCount ?? 0) > 0) await advanceKeyRevision(client, keyArn);
    });
  }

  async #one(sql: string, values: unknown[]): Promise<Grant | undefined> {
    const row = (await this.#pool.query<GrantRow>(sql, values)).rows[0];
    return row === undefined ? undefined : grantFromRow(row);
  }
}
