import type Database from 'better-sqlite3';
import type { AccessKey, Account, IamRole, IamUser, IdentityRepository, InlinePolicy } from '../store.js';
import { ACCESS_KEY_COLUMNS, accessKeyFromRow, accessKeyValues, type AccessKeyRow, type AccessKeyValues } from '../records/access-key-row.js';
import { SqliteIamPrincipalTables } from './iam-principal-tables.js';
import { insertingUnique } from './unique-violation.js';

interface AccountRow {
  readonly id: string;
  readonly created_at: number;
}

/**
 * Accounts, access keys, IAM users, roles and inline policies in SQLite (the last three through
 * `SqliteIamPrincipalTables`). `getAccessKey` runs on every signed request (SigV4 needs the wrapped
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
  readonly #setAccessKeyStatus: Database.Statement<[string, string]>;
  readonly #deleteExpiredAccessKeys: Database.Statement<[number]>;
  readonly #principals: SqliteIamPrincipalTables;

  constructor(db: Database.Database) {
    this.#principals = new SqliteIamPrincipalTables(db);
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
    this.#setAccessKeyStatus = db.prepare('UPDATE access_keys SET status = ? WHERE access_key_id = ?');
    this.#deleteExpiredAccessKeys = db.prepare('DELETE FROM access_keys WHERE expires_at IS NOT NULL AND expires_at <= ?');
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

  async deleteExpiredAccessKeys(now: number): Promise<number> {
    return this.#deleteExpiredAccessKeys.run(now).changes;
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    this.#deleteAccessKey.run(accessKeyId);
  }

  async setAccessKeyStatus(accessKeyId: string, status: AccessKey['status']): Promise<void> {
    this.#setAccessKeyStatus.run(status, accessKeyId);
  }

  /** Throws `DuplicateError` when the name is taken in the account, whatever its case. */
  async createUser(user: IamUser): Promise<void> {
    this.#principals.createUser(user);
  }

  /** The user whose name equals `userName` ignoring case, as IAM looks names up. */
  async getUser(accountId: string, userName: string): Promise<IamUser | undefined> {
    return this.#principals.getUser(accountId, userName);
  }

  /** The account's users, by name. */
  async listUsers(accountId: string): Promise<IamUser[]> {
    return this.#principals.listUsers(accountId);
  }

  async deleteUser(accountId: string, userName: string): Promise<void> {
    this.#principals.deleteUser(accountId, userName);
  }

  /** Throws `DuplicateError` when the name is taken in the account, whatever its case. */
  async createRole(role: IamRole): Promise<void> {
    this.#principals.createRole(role);
  }

  async getRole(accountId: string, roleName: string): Promise<IamRole | undefined> {
    return this.#principals.getRole(accountId, roleName);
  }

  /** The account's roles, by name. */
  async listRoles(accountId: string): Promise<IamRole[]> {
    return this.#principals.listRoles(accountId);
  }

  async deleteRole(accountId: string, roleName: string): Promise<void> {
    this.#principals.deleteRole(accountId, roleName);
  }

  async setRoleTrustPolicy(accountId: string, roleName: string, trustPolicy: string): Promise<void> {
    this.#principals.setRoleTrustPolicy(accountId, roleName, trustPolicy);
  }

  async putPolicy(policy: InlinePolicy): Promise<void> {
    this.#principals.putPolicy(policy);
  }

  async getPolicy(principalArn: string, policyName: string): Promise<InlinePolicy | undefined> {
    return this.#principals.getPolicy(principalArn, policyName);
  }

  async listPolicies(principalArn: string): Promise<InlinePolicy[]> {
    return this.#principals.listPolicies(principalArn);
  }

  async deletePolicy(principalArn: string, policyName: string): Promise<void> {
    this.#principals.deletePolicy(principalArn, policyName);
  }
}

function accountFromRow(row: AccountRow): Account {
  return { id: row.id, createdAt: row.created_at };
}
