import type Database from 'better-sqlite3';
import {
  XKS_CREDENTIAL_COLUMNS, xksCredentialFromRow, xksCredentialValues, type XksCredentialRow, type XksCredentialValues,
} from '../records/xks-credential-row.js';
import type { XksCredential, XksCredentialRepository } from '../store.js';
import { insertingUnique } from './unique-violation.js';

/**
 * XKS proxy credentials in SQLite (migration 6). Statements are prepared once; each is its own transaction.
 * `get` runs on every XKS proxy request (SigV4 needs the wrapped secret): one lookup by primary key.
 */
export class SqliteXksCredentialRepository implements XksCredentialRepository {
  readonly #insert: Database.Statement<XksCredentialValues>;
  readonly #get: Database.Statement<[string], XksCredentialRow>;
  readonly #listAll: Database.Statement<[], XksCredentialRow>;
  readonly #listOfAccount: Database.Statement<[string], XksCredentialRow>;
  readonly #delete: Database.Statement<[string]>;
  readonly #recordUse: Database.Statement<[number, string, number]>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(`INSERT INTO xks_credentials (${XKS_CREDENTIAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.#get = db.prepare(`SELECT ${XKS_CREDENTIAL_COLUMNS} FROM xks_credentials WHERE access_key_id = ?`);
    this.#listAll = db.prepare(`SELECT ${XKS_CREDENTIAL_COLUMNS} FROM xks_credentials ORDER BY access_key_id`);
    this.#listOfAccount = db.prepare(
      `SELECT ${XKS_CREDENTIAL_COLUMNS} FROM xks_credentials WHERE account_id = ? ORDER BY access_key_id`,
    );
    this.#delete = db.prepare('DELETE FROM xks_credentials WHERE access_key_id = ?');
    // Never backwards: two processes recording uses out of order keep the later one.
    this.#recordUse = db.prepare(
      'UPDATE xks_credentials SET last_used_at = ? WHERE access_key_id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
    );
  }

  /** The error names the access key id, which is not secret (it travels in every request's header). */
  async create(credential: XksCredential): Promise<void> {
    insertingUnique(`XKS credential ${credential.accessKeyId}`, () => this.#insert.run(...xksCredentialValues(credential)));
  }

  async get(accessKeyId: string): Promise<XksCredential | undefined> {
    const row = this.#get.get(accessKeyId);
    return row === undefined ? undefined : xksCredentialFromRow(row);
  }

  async list(accountId?: string): Promise<XksCredential[]> {
    const rows = accountId === undefined ? this.#listAll.all() : this.#listOfAccount.all(accountId);
    return rows.map(xksCredentialFromRow);
  }

  async delete(accessKeyId: string): Promise<boolean> {
    return this.#delete.run(accessKeyId).changes > 0;
  }

  async recordUse(accessKeyId: string, at: number): Promise<void> {
    this.#recordUse.run(at, accessKeyId, at);
  }
}
