import type Database from 'better-sqlite3';
import type { AccessKey, Account, IdentityRepository } from '../store.js';
import { ACCESS_KEY_COLUMNS, accessKeyFromRow, accessKeyValues, type AccessKeyRow, type AccessKeyValues } from './access-key-row.js';
import { insertingUnique } from './unique-violation.js';

interface AccountRow {
  readonly id: string;
  readonly created_at: number;
}

/**
 * Accounts and access keys in SQLite. `getAccessKey` runs on every signed request (SigV4 needs the wrapped
 * secret), so its statement is prepared once like the others. Every method is a single statement, hence
 * atomic on its own.
 */
export class SqliteIdentityRepository implements IdentityRepository {
  readonly #insertAccount: Database.Statement<[string, number]>;
  readonly #getAccount: Database.Statement<[string], AccountRow>;
  readonly #listAccounts: Database.Statement<[], AccountRow>;
  readonly #insertAccessKey: Database.Statement<AccessKeyValues>;
  readonly #getAccessKey: Database.Statement<[string], AccessKeyRow>;
  readonly #listAccessKeys: Database.Statement<[string], AccessKeyRow>;
  readonly #deleteAccessKey: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.#insertAccount = db.prepare('INSERT INTO accounts (id, created_at) VALUES (?, ?)');
    this.#getAccount = db.prepare('SELECT id, created_at FROM accounts WHERE id = ?');
    this.#listAccounts = db.prepare('SELECT id, created_at FROM accounts ORDER BY id');
    this.#insertAccessKey = db.prepare(
      `INSERT INTO access_keys (${ACCESS_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#getAccessKey = db.prepare(`SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE access_key_id = ?`);
    this.#listAccessKeys = db.prepare(
      `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE principal_arn = ? ORDER BY created_at, access_key_id`,
    );
    this.#deleteAccessKey = db.prepare('DELETE FROM access_keys WHERE access_key_id = ?');
  }

  async createAccount(account: Account): Promise<void> {
    insertingUnique(`account ${account.id}`, () => this.#insertAccount.run(account.id, account.createdAt));
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const row = this.#getAccount.get(accountId);
    return row === undefined ? undefined : accountFromRow(row);
  }

  /** Every account, ordered by id. */
  async listAccounts(): Promise<Account[]> {
    return this.#listAccounts.all().map(accountFromRow);
  }

  /** The error names the access key id, which is not secret (it travels in every request's header). */
  async createAccessKey(accessKey: AccessKey): Promise<void> {
    insertingUnique(`access key ${accessKey.accessKeyId}`, () =>
      this.#insertAccessKey.run(...accessKeyValues(accessKey)),
    );
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const row = this.#getAccessKey.get(accessKeyId);
    return row === undefined ? undefined : accessKeyFromRow(row);
  }

  /** The principal's access keys, oldest first. */
  async listAccessKeys(principalArn: string): Promise<AccessKey[]> {
    return this.#listAccessKeys.all(principalArn).map(accessKeyFromRow);
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    this.#deleteAccessKey.run(accessKeyId);
  }
}

function accountFromRow(row: AccountRow): Account {
  return { id: row.id, createdAt: row.created_at };
}
