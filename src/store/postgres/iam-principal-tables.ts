import type pg from 'pg';
import {
  IAM_ROLE_COLUMNS,
  IAM_USER_COLUMNS,
  iamRoleFromRow,
  iamRoleValues,
  iamUserFromRow,
  iamUserValues,
  type IamRoleRow,
  type IamUserRow,
} from '../records/iam-principal-rows.js';
import type { IamRole, IamUser, InlinePolicy } from '../store.js';
import { placeholders } from './placeholders.js';
import { insertingUnique } from './unique-violation.js';

interface InlinePolicyRow {
  readonly principal_arn: string;
  readonly policy_name: string;
  readonly document: string;
}

// Names are compared through their stored `lower()` (`*_folded`, migration 1): unique, found and ordered
// regardless of ASCII case, as IAM's names and SQLite's NOCASE are.
const INSERT_USER = `INSERT INTO iam_users (${IAM_USER_COLUMNS}) VALUES (${placeholders(6)})`;
const GET_USER = `SELECT ${IAM_USER_COLUMNS} FROM iam_users WHERE account_id = $1 AND user_name_folded = lower($2)`;
const LIST_USERS = `SELECT ${IAM_USER_COLUMNS} FROM iam_users WHERE account_id = $1 ORDER BY user_name_folded`;
const DELETE_USER = 'DELETE FROM iam_users WHERE account_id = $1 AND user_name_folded = lower($2)';
const INSERT_ROLE = `INSERT INTO iam_roles (${IAM_ROLE_COLUMNS}) VALUES (${placeholders(9)})`;
const GET_ROLE = `SELECT ${IAM_ROLE_COLUMNS} FROM iam_roles WHERE account_id = $1 AND role_name_folded = lower($2)`;
const LIST_ROLES = `SELECT ${IAM_ROLE_COLUMNS} FROM iam_roles WHERE account_id = $1 ORDER BY role_name_folded`;
const DELETE_ROLE = 'DELETE FROM iam_roles WHERE account_id = $1 AND role_name_folded = lower($2)';
const SET_ROLE_TRUST_POLICY = 'UPDATE iam_roles SET trust_policy = $3 WHERE account_id = $1 AND role_name_folded = lower($2)';
/** An upsert keeps the name's first spelling, as IAM does when a policy is replaced. */
const PUT_POLICY = `INSERT INTO iam_inline_policies (principal_arn, policy_name, document) VALUES ($1, $2, $3)
  ON CONFLICT (principal_arn, policy_name_folded) DO UPDATE SET document = EXCLUDED.document`;
const POLICY_COLUMNS = 'principal_arn, policy_name, document';
const GET_POLICY = `SELECT ${POLICY_COLUMNS} FROM iam_inline_policies
  WHERE principal_arn = $1 AND policy_name_folded = lower($2)`;
const LIST_POLICIES = `SELECT ${POLICY_COLUMNS} FROM iam_inline_policies WHERE principal_arn = $1 ORDER BY policy_name_folded`;
const DELETE_POLICY = 'DELETE FROM iam_inline_policies WHERE principal_arn = $1 AND policy_name_folded = lower($2)';

/**
 * IAM users, roles and inline policies in PostgreSQL. Each method is a single statement, committed on its own.
 * The identity repository delegates to this.
 */
export class PostgresIamPrincipalTables {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async createUser(user: IamUser): Promise<void> {
    await insertingUnique(`user ${user.userName}`, () => this.#pool.query(INSERT_USER, iamUserValues(user)));
  }

  async getUser(accountId: string, userName: string): Promise<IamUser | undefined> {
    const row = (await this.#pool.query<IamUserRow>(GET_USER, [accountId, userName])).rows[0];
    return row === undefined ? undefined : iamUserFromRow(row);
  }

  async listUsers(accountId: string): Promise<IamUser[]> {
    return (await this.#pool.query<IamUserRow>(LIST_USERS, [accountId])).rows.map(iamUserFromRow);
  }

  async deleteUser(accountId: string, userName: string): Promise<void> {
    await this.#pool.query(DELETE_USER, [accountId, userName]);
  }

  async createRole(role: IamRole): Promise<void> {
    await insertingUnique(`role ${role.roleName}`, () => this.#pool.query(INSERT_ROLE, iamRoleValues(role)));
  }

  async getRole(accountId: string, roleName: string): Promise<IamRole | undefined> {
    const row = (await this.#pool.query<IamRoleRow>(GET_ROLE, [accountId, roleName])).rows[0];
    return row === undefined ? undefined : iamRoleFromRow(row);
  }

  async listRoles(accountId: string): Promise<IamRole[]> {
    return (await this.#pool.query<IamRoleRow>(LIST_ROLES, [accountId])).rows.map(iamRoleFromRow);
  }

  async deleteRole(accountId: string, roleName: string): Promise<void> {
    await this.#pool.query(DELETE_ROLE, [accountId, roleName]);
  }

  async setRoleTrustPolicy(accountId: string, roleName: string, trustPolicy: string): Promise<void> {
    await this.#pool.query(SET_ROLE_TRUST_POLICY, [accountId, roleName, trustPolicy]);
  }

  async putPolicy(policy: InlinePolicy): Promise<void> {
    await this.#pool.query(PUT_POLICY, [policy.principalArn, policy.policyName, policy.document]);
  }

  async getPolicy(principalArn: string, policyName: string): Promise<InlinePolicy | undefined> {
    const row = (await this.#pool.query<InlinePolicyRow>(GET_POLICY, [principalArn, policyName])).rows[0];
    return row === undefined ? undefined : inlinePolicyFromRow(row);
  }

  async listPolicies(principalArn: string): Promise<InlinePolicy[]> {
    return (await this.#pool.query<InlinePolicyRow>(LIST_POLICIES, [principalArn])).rows.map(inlinePolicyFromRow);
  }

  async deletePolicy(principalArn: string, policyName: string): Promise<void> {
    await this.#pool.query(DELETE_POLICY, [principalArn, policyName]);
  }
}

function inlinePolicyFromRow(row: InlinePolicyRow): InlinePolicy {
  return { principalArn: row.principal_arn, policyName: row.policy_name, document: row.document };
}
