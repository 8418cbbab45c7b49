import type pg from 'pg';
import { ACCESS_KEY_COLUMNS, accessKeyFromRow, accessKeyValues, type AccessKeyRow } from '../records/access-key-row.js';
import type { AccessKey, Account, IamRole, IamUser, IdentityRepository, InlinePolicy } from '../store.js';
import { PostgresIamPrincipalTables } from './iam-principal-tables.js';
import { placeholders } from './placeholders.js';
import { STATE_EPOCH_ROW, type PostgresStateReset } from './state-reset.js';
import { insertingUnique } from './unique-violation.js';

interface AccountRow {
  readonly id: string;
  readonly created_at: number;
}

const INSERT_ACCOUNT = 'INSERT INTO accounts (id, created_at) VALUES ($1, $2)';
const GET_ACCOUNT = 'SELECT id, created_at FROM accounts WHERE id = $1';
const LIST_ACCOUNTS = 'SELECT id, created_at FROM accounts ORDER BY id';
const INSERT_ACCESS_KEY = `INSERT INTO access_keys (${ACCESS_KEY_COLUMNS}) VALUES (${placeholders(11)})`;
/** The access key and the state epoch in one snapshot: one row always, key columns null when there is none. */
const GET_ACCESS_KEY = `SELECT epoch.state_epoch, ${ACCESS_KEY_COLUMNS} FROM ${STATE_EPOCH_ROW}
  LEFT JOIN access_keys ON access_keys.access_key_id = $1`;
const LIST_ACCESS_KEYS = `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE principal_arn = $1
  ORDER BY created_at, access_key_id`;
const DELETE_ACCESS_KEY = 'DELETE FROM access_keys WHERE access_key_id = $1';
const SET_ACCESS_KEY_STATUS = 'UPDATE access_keys SET status = $2 WHERE access_key_id = $1';
const DELETE_EXPIRED_ACCESS_KEYS = 'DELETE FROM access_keys WHERE expires_at IS NOT NULL AND expires_at <= $1';

/**
 * Accounts, access keys, IAM users, roles and inline policies in PostgreSQL (the last three through
 * `PostgresIamPrincipalTables`). `getAccessKey` runs on every signed request (SigV4 needs the wrapped secret)
 * and also reads the state epoch (`state-reset.ts`), in the same statement. Every method is a single
 * statement, committed on its own.
 */
export class PostgresIdentityRepository implements IdentityRepository {
  readonly #pool: pg.Pool;
  readonly #stateReset: PostgresStateReset;
  readonly #principals: PostgresIamPrincipalTables;

  constructor(pool: pg.Pool, stateReset: PostgresStateReset) {
    this.#pool = pool;
    this.#stateReset = stateReset;
    this.#principals = new PostgresIamPrincipalTables(pool);
  }

  async createAccount(account: Account): Promise<void> {
    await insertingUnique(`account ${account.id}`, () => this.#pool.query(INSERT_ACCOUNT, [account.id, account.createdAt]));
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const row = (await this.#pool.query<AccountRow>(GET_ACCOUNT, [accountId])).rows[0];
    return row === undefined ? undefined : accountFromRow(row);
  }

  /** Every account, ordered by id. */
  async listAccounts(): Promise<Account[]> {
    return (await this.#pool.query<AccountRow>(LIST_ACCOUNTS)).rows.map(accountFromRow);
  }

  /** The error names the access key id, which is not secret (it travels in every request's header). */
  async createAccessKey(accessKey: AccessKey): Promise<void> {
    await insertingUnique(`access key ${accessKey.accessKeyId}`, () =>
      this.#pool.query(INSERT_ACCESS_KEY, accessKeyValues(accessKey)),
    );
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const result = await this.#pool.query<{ state_epoch: string | null } & NullableRow<AccessKeyRow>>(GET_ACCESS_KEY, [
      accessKeyId,
    ]);
    const row = result.rows[0];
    this.#stateReset.observe(row?.state_epoch ?? null);
    return row?.access_key_id == null ? undefined : accessKeyFromRow(row as AccessKeyRow);
  }

  /** The principal's access keys, oldest first. */
  async listAccessKeys(principalArn: string): Promise<AccessKey[]> {
    return (await this.#pool.query<AccessKeyRow>(LIST_ACCESS_KEYS, [principalArn])).rows.map(accessKeyFromRow);
  }

  async deleteExpiredAccessKeys(now: number): Promise<number> {
    return (await this.#pool.query(DELETE_EXPIRED_ACCESS_KEYS, [now])).rowCount ?? 0;
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    await this.#pool.query(DELETE_ACCESS_KEY, [accessKeyId]);
  }

  async setAccessKeyStatus(accessKeyId: string, status: AccessKey['status']): Promise<void> {
    await this.#pool.query(SET_ACCESS_KEY_STATUS, [accessKeyId, status]);
  }

  /** Throws `DuplicateError` when the name is taken in the account, whatever its case. */
  async createUser(user: IamUser): Promise<void> {
    await this.#principals.createUser(user);
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
    await this.#principals.deleteUser(accountId, userName);
  }

  /** Throws `DuplicateError` when the name is taken in the account, whatever its case. */
  async createRole(role: IamRole): Promise<void> {
    await this.#principals.createRole(role);
  }

  async getRole(accountId: string, roleName: string): Promise<IamRole | undefined> {
    return this.#principals.getRole(accountId, roleName);
  }

  /** The account's roles, by name. */
  async listRoles(accountId: string): Promise<IamRole[]> {
    return this.#principals.listRoles(accountId);
  }

  async deleteRole(accountId: string, roleName: string): Promise<void> {
    await this.#principals.deleteRole(accountId, roleName);
  }

  async setRoleTrustPolicy(accountId: string, roleName: string, trustPolicy: string): Promise<void> {
    await this.#principals.setRoleTrustPolicy(accountId, roleName, trustPolicy);
  }

  async putPolicy(policy: InlinePolicy): Promise<void> {
    await this.#principals.putPolicy(policy);
  }

  async getPolicy(principalArn: string, policyName: string): Promise<InlinePolicy | undefined> {
    return this.#principals.getPolicy(principalArn, policyName);
  }

  async listPolicies(principalArn: string): Promise<InlinePolicy[]> {
    return this.#principals.listPolicies(principalArn);
  }

  async deletePolicy(principalArn: string, policyName: string): Promise<void> {
    await this.#principals.deletePolicy(principalArn, policyName);
  }
}

/** A row of a `LEFT JOIN` whose right side may be missing: every column may be null. */
type NullableRow<T> = { readonly [K in keyof T]: T[K] | null };

function accountFromRow(row: AccountRow): Account {
  return { id: row.id, createdAt: row.created_at };
}
