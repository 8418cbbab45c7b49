import type pg from 'pg';
import type { Alias, KeyScope } from '../../keys/key.js';
import { startAfter, toPage } from '../records/page-marker.js';
import type { AliasRepository, Page, PageRequest } from '../store.js';
import { insertingUnique } from './unique-violation.js';
import { ALIAS_COLUMNS, aliasFromRow, type AliasRow } from '../records/alias-row.js';

const INSERT = `INSERT INTO aliases (${ALIAS_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`;
const GET = `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account_id = $1 AND region = $2 AND name = $3`;
const UPDATE = `UPDATE aliases SET target_key_id = $1, created_at = $2, updated_at = $3
  WHERE account_id = $4 AND region = $5 AND name = $6`;
const DELETE = 'DELETE FROM aliases WHERE account_id = $1 AND region = $2 AND name = $3';
const LIST = `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account_id = $1 AND region = $2 AND name > $3 ORDER BY name LIMIT $4`;
const LIST_BY_KEY = `SELECT ${ALIAS_COLUMNS} FROM aliases
  WHERE account_id = $1 AND region = $2 AND target_key_id = $3 AND name > $4 ORDER BY name LIMIT $5`;

/**
 * Aliases in PostgreSQL, unique by account, region and name (the primary key), listed by name in byte order
 * (the column's "C" collation), as AWS lists them. Every method is one statement, committed on its own.
 */
export class PostgresAliasRepository implements AliasRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(alias: Alias): Promise<void> {
    await insertingUnique(`alias ${alias.name}`, () =>
      this.#pool.query(INSERT, [alias.accountId, alias.region, alias.name, alias.targetKeyId, alias.createdAt, alias.updatedAt]),
    );
  }

  async get(scope: KeyScope, name: string): Promise<Alias | undefined> {
    const result = await this.#pool.query<AliasRow>(GET, [scope.accountId, scope.region, name]);
    const row = result.rows[0];
    return row === undefined ? undefined : aliasFromRow(row);
  }

  /** Replaces the alias's target and times; an alias that no longer exists stays absent. */
  async update(alias: Alias): Promise<void> {
    await this.#pool.query(UPDATE, [alias.targetKeyId, alias.createdAt, alias.updatedAt, alias.accountId, alias.region, alias.name]);
  }

  async delete(scope: KeyScope, name: string): Promise<void> {
    await this.#pool.query(DELETE, [scope.accountId, scope.region, name]);
  }

  async list(scope: KeyScope, page: PageRequest & { readonly keyId?: string }): Promise<Page<Alias>> {
    const after = startAfter('aliases', page);
    const result =
      page.keyId === undefined
        ? await this.#pool.query<AliasRow>(LIST, [scope.accountId, scope.region, after, page.limit + 1])
        : await this.#pool.query<AliasRow>(LIST_BY_KEY, [scope.accountId, scope.region, page.keyId, after, page.limit + 1]);
    return toPage('aliases', result.rows.map(aliasFromRow), page.limit, (alias) => alias.name);
  }
}
