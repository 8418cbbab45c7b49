import type Database from 'better-sqlite3';
import type { Grant, GrantRepository, Page, PageRequest } from '../store.js';
import { GRANT_COLUMNS, grantFromRow, grantPage, grantValues, seqAfter, type GrantRow, type GrantValues } from '../records/grant-row.js';
import { insertingUnique } from './unique-violation.js';

const SELECT = `SELECT seq, ${GRANT_COLUMNS} FROM grants`;

/**
 * KMS grants in SQLite.
 *
 * Creating or deleting a grant also advances its key's revision, in the same transaction. Authorization caches
 * a key's grants per process keyed by the key's revision (the key record is read on every request anyway), so
 * a grant change reaches every process — and every node sharing the file — on its very next request, with no
 * window in which a revoked grant still allows.
 */
export class SqliteGrantRepository implements GrantRepository {
  readonly #insert: Database.Statement<GrantValues>;
  readonly #get: Database.Statement<[string, string], GrantRow>;
  readonly #list: Database.Statement<[string, number, number], GrantRow>;
  readonly #listAll: Database.Statement<[string], GrantRow>;
  readonly #listRetirable: Database.Statement<[string, number, number], GrantRow>;
  readonly #findByToken: Database.Statement<[Buffer], GrantRow>;
  readonly #delete: Database.Statement<[string, string]>;
  readonly #bumpKeyRevision: Database.Statement<[string]>;
  readonly #createTransaction: (grant: Grant) => void;
  readonly #deleteTransaction: (keyArn: string, grantId: string) => void;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(`INSERT INTO grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#get = db.prepare(`${SELECT} WHERE key_arn = ? AND grant_id = ?`);
    this.#list = db.prepare(`${SELECT} WHERE key_arn = ? AND seq > ? ORDER BY seq LIMIT ?`);
    this.#listAll = db.prepare(`${SELECT} WHERE key_arn = ? ORDER BY seq`);
    this.#listRetirable = db.prepare(`${SELECT} WHERE retiring_principal = ? AND seq > ? ORDER BY seq LIMIT ?`);
    this.#findByToken = db.prepare(`${SELECT} WHERE token_hash = ?`);
    this.#delete = db.prepare('DELETE FROM grants WHERE key_arn = ? AND grant_id = ?');
    // The record carries the revision too (key-record.ts); both change together, as a key update does.
    this.#bumpKeyRevision = db.prepare(
      `UPDATE keys SET revision = revision + 1, record = json_set(record, '$.revision', revision + 1) WHERE arn = ?`,
    );
    this.#createTransaction = db.transaction((grant: Grant) => {
      insertingUnique(`grant ${grant.grantId} of ${grant.keyArn}`, () => this.#insert.run(...grantValues(grant)));
      this.#bumpKeyRevision.run(grant.keyArn);
    }).immediate;
    this.#deleteTransaction = db.transaction((keyArn: string, grantId: string) => {
      if (this.#delete.run(keyArn, grantId).changes > 0) this.#bumpKeyRevision.run(keyArn);
    }).immediate;
  }

  async create(grant: Grant): Promise<void> {
    this.#createTransaction(grant);
  }

  async get(keyArn: string, grantId: string): Promise<Grant | undefined> {
    const row = this.#get.get(keyArn, grantId);
    return row === undefined ? undefined : grantFromRow(row);
  }

  async list(keyArn: string, page: PageRequest): Promise<Page<Grant>> {
    return grantPage(this.#list.all(keyArn, seqAfter(page), page.limit + 1), page.limit);
  }

  async listAll(keyArn: string): Promise<Grant[]> {
    return this.#listAll.all(keyArn).map(grantFromRow);
  }

  async listRetirable(principalArn: string, page: PageRequest): Promise<Page<Grant>> {
    return grantPage(this.#listRetirable.all(principalArn, seqAfter(page), page.limit + 1), page.limit);
  }

  async findByTokenHash(tokenHash: Buffer): Promise<Grant | undefined> {
    const row = this.#findByToken.get(tokenHash);
    return row === undefined ? undefined : grantFromRow(row);
  }

  async delete(keyArn: string, grantId: string): Promise<void> {
    this.#deleteTransaction(keyArn, grantId);
  }
}
