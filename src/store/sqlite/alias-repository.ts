import type Database from 'better-sqlite3';
import type { Alias, KeyScope } from '../../keys/key.js';
import type { AliasRepository, Page, PageRequest } from '../store.js';
import { startAfter, toPage } from '../records/page-marker.js';
import { insertingUnique } from './unique-violation.js';
import { ALIAS_COLUMNS, aliasFromRow, type AliasRow } from '../records/alias-row.js';


/**
 * Aliases in SQLite, unique by account, region and name (the primary key), listed by name — byte order,
 * as AWS lists them. Each statement is its own transaction; none reads before it writes, so no explicit
 * transaction is needed.
 */
export class SqliteAliasRepository implements AliasRepository {
  readonly #insert: Database.Statement<[string, string, string, string, number, number]>;
  readonly #get: Database.Statement<[string, string, string], AliasRow>;
  readonly #update: Database.Statement<[string, number, number, string, string, string]>;
  readonly #delete: Database.Statement<[string, string, string]>;
  readonly #list: Database.Statement<[string, string, string, number], AliasRow>;
  readonly #listByKey: Database.Statement<[string, string, string, string, number], AliasRow>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(`INSERT INTO aliases (${ALIAS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.#get = db.prepare(`SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account_id = ? AND region = ? AND name = ?`);
    this.#update = db.prepare(
      `UPDATE aliases SET target_key_id = ?, created_at = ?, updated_at = ?
       WHERE account_id = ? AND region = ? AND name = ?`,
    );
    this.#delete = db.prepare('DELETE FROM aliases WHERE account_id = ? AND region = ? AND name = ?');
    this.#list = db.prepare(
      `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?`,
    );
    this.#listByKey = db.prepare(
      `SELECT ${ALIAS_COLUMNS} FROM aliases
       WHERE account_id = ? AND region = ? AND target_key_id = ? AND name > ? ORDER BY name LIMIT ?`,
    );
  }

  async create(alias: Alias): Promise<void> {
    insertingUnique(`alias ${alias.name}`, () =>
      this.#insert.run(alias.accountId, alias.region, alias.name, alias.targetKeyId, alias.createdAt, alias.updatedAt),
    );
  }

  async get(scope: KeyScope, name: string): Promise<Alias | undefined> {
    const row = this.#get.get(scope.accountId, scope.region, name);
    return row === undefined ? undefined : aliasFromRow(row);
  }

  /** Replaces the alias's target and times; an alias that no longer exists stays absent. */
  async update(alias: Alias): Promise<void> {
    this.#update.run(alias.targetKeyId, alias.createdAt, alias.updatedAt, alias.accountId, alias.region, alias.name);
  }

  async delete(scope: KeyScope, name: string): Promise<void> {
    this.#delete.run(scope.accountId, scope.region, name);
  }

  async list(scope: KeyScope, page: PageRequest & { readonly keyId?: string }): Promise<Page<Alias>> {
    const after = startAfter('aliases', page);
    const rows =
      page.keyId === undefined
        ? this.#list.all(scope.accountId, scope.region, after, page.limit + 1)
        : this.#listByKey.all(scope.accountId, scope.region, page.keyId, after, page.limit + 1);
    return toPage('aliases', rows.map(aliasFromRow), page.limit, (alias) => alias.name);
  }
}
