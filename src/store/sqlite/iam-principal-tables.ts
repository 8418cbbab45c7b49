import type Database from 'better-sqlite3';
import type { IamRole, IamUser, InlinePolicy } from '../store.js';
import {
  IAM_ROLE_COLUMNS,
  IAM_USER_COLUMNS,
  iamRoleFromRow,
  iamRoleValues,
  iamUserFromRow,
  iamUserValues,
  type IamRoleRow,
  type IamRoleValues,
  type IamUserRow,
  type IamUserValues,
} from '../records/iam-principal-rows.js';
import { insertingUnique } from './unique-violation.js';

interface InlinePolicyRow {
  readonly principal_arn: string;
  readonly policy_name: string;
  readonly document: string;
}

/**
 * IAM users, roles and inline policies in SQLite (the tables of migration 2). Names compare without regard
 * to case, as IAM's do; each method is a single statement, hence atomic on its own. The identity repository
 * delegates to this.
 */
export class SqliteIamPrincipalTables {
  readonly #insertUser: Database.Statement<IamUserValues>;
  readonly #getUser: Database.Statement<[string, string], IamUserRow>;
  readonly #listUsers: Database.Statement<[string], IamUserRow>;
  readonly #deleteUser: Database.Statement<[string, string]>;
  readonly #insertRole: Database.Statement<IamRoleValues>;
  readonly #getRole: Database.Statement<[string, string], IamRoleRow>;
  readonly #listRoles: Database.Statement<[string], IamRoleRow>;
  readonly #deleteRole: Database.Statement<[string, string]>;
  readonly #setRoleTrustPolicy: Database.Statement<[string, string, string]>;
  readonly #putPolicy: Database.Statement<[string, string, string]>;
  readonly #getPolicy: Database.Statement<[string, string], InlinePolicyRow>;
  readonly #listPolicies: Database.Statement<[string], InlinePolicyRow>;
  readonly #deletePolicy: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#insertUser = db.prepare(`INSERT INTO iam_users (${IAM_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.#getUser = db.prepare(`SELECT ${IAM_USER_COLUMNS} FROM iam_users WHERE account_id = ? AND user_name = ?`);
    this.#listUsers = db.prepare(`SELECT ${IAM_USER_COLUMNS} FROM iam_users WHERE account_id = ? ORDER BY user_name`);
    this.#deleteUser = db.prepare('DELETE FROM iam_users WHERE account_id = ? AND user_name = ?');
    this.#insertRole = db.prepare(`INSERT INTO iam_roles (${IAM_ROLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#getRole = db.prepare(`SELECT ${IAM_ROLE_COLUMNS} FROM iam_roles WHERE account_id = ? AND role_name = ?`);
    this.#listRoles = db.prepare(`SELECT ${IAM_ROLE_COLUMNS} FROM iam_roles WHERE account_id = ? ORDER BY role_name`);
    this.#deleteRole = db.prepare('DELETE FROM iam_roles WHERE account_id = ? AND role_name = ?');
    this.#setRoleTrustPolicy = db.prepare('UPDATE iam_roles SET trust_policy = ? WHERE account_id = ? AND role_name = ?');
    // An upsert keeps the name's first spelling, as IAM does when a policy is replaced.
    this.#putPolicy = db.prepare(
      'INSERT INTO iam_inline_policies (principal_arn, policy_name, document) VALUES (?, ?, ?) ' +
        'ON CONFLICT (principal_arn, policy_name) DO UPDATE SET document = excluded.document',
    );
    this.#getPolicy = db.prepare(
      'SELECT principal_arn, policy_name, document FROM iam_inline_policies WHERE principal_arn = ? AND policy_name = ?',
    );
    this.#listPolicies = db.prepare(
      'SELECT principal_arn, policy_name, document FROM iam_inline_policies WHERE principal_arn = ? ORDER BY policy_name',
    );
    this.#deletePolicy = db.prepare('DELETE FROM iam_inline_policies WHERE principal_arn = ? AND policy_name = ?');
  }

  createUser(user: IamUser): void {
    insertingUnique(`user ${user.userName}`, () => this.#insertUser.run(...iamUserValues(user)));
  }

  getUser(accountId: string, userName: string): IamUser | undefined {
    const row = this.#getUser.get(accountId, userName);
    return row === undefined ? undefined : iamUserFromRow(row);
  }

  listUsers(accountId: string): IamUser[] {
    return this.#listUsers.all(accountId).map(iamUserFromRow);
  }

  deleteUser(accountId: string, userName: string): void {
    this.#deleteUser.run(accountId, userName);
  }

  createRole(role: IamRole): void {
    insertingUnique(`role ${role.roleName}`, () => this.#insertRole.run(...iamRoleValues(role)));
  }

  getRole(accountId: string, roleName: string): IamRole | undefined {
    const row = this.#getRole.get(accountId, roleName);
    return row === undefined ? undefined : iamRoleFromRow(row);
  }

  listRoles(accountId: string): IamRole[] {
    return this.#listRoles.all(accountId).map(iamRoleFromRow);
  }

  deleteRole(accountId: string, roleName: string): void {
    this.#deleteRole.run(accountId, roleName);
  }

  setRoleTrustPolicy(accountId: string, roleName: string, trustPolicy: string): void {
    this.#setRoleTrustPolicy.run(trustPolicy, accountId, roleName);
  }

  putPolicy(policy: InlinePolicy): void {
    this.#putPolicy.run(policy.principalArn, policy.policyName, policy.document);
  }

  getPolicy(principalArn: string, policyName: string): InlinePolicy | undefined {
    const row = this.#getPolicy.get(principalArn, policyName);
    return row === undefined ? undefined : inlinePolicyFromRow(row);
  }

  listPolicies(principalArn: string): InlinePolicy[] {
    return this.#listPolicies.all(principalArn).map(inlinePolicyFromRow);
  }

  deletePolicy(principalArn: string, policyName: string): void {
    this.#deletePolicy.run(principalArn, policyName);
  }
}

function inlinePolicyFromRow(row: InlinePolicyRow): InlinePolicy {
  return { principalArn: row.principal_arn, policyName: row.policy_name, document: row.document };
}
