import type pg from 'pg';
import { XKS_CREDENTIAL_COLUMNS, xksCredentialFromRow, xksCredentialValues, type XksCredentialRow } from '../records/xks-credential-row.js';
import type { XksCredential, XksCredentialRepository } from '../store.js';
import { placeholders } from './placeholders.js';
import { insertingUnique } from './unique-violation.js';

const INSERT = `INSERT INTO xks_credentials (${XKS_CREDENTIAL_COLUMNS}) VALUES (${placeholders(6)})`;
const GET = `SELECT ${XKS_CREDENTIAL_COLUMNS} FROM xks_credentials WHERE access_key_id = $1`;
const LIST_ALL = `SELECT ${XKS_CREDENTIAL_COLUMNS} FROM xks_credentials ORDER BY access_key_id`;
const LIST_OF_ACCOUNT = `SELECT ${XKS_CREDENTIAL_COLUMNS} FROM xks_credentials WHERE account_id = $1 ORDER BY access_key_id`;
const DELETE = 'DELETE FROM xks_credentials WHERE access_key_id = $1';
/** Never backwards: two nodes recording uses out of order keep the later one. */
const RECORD_USE = `UPDATE xks_credentials SET last_used_at = $1
  WHERE access_key_id = $2 AND (last_used_at IS NULL OR last_used_at < $1)`;

/**
 * XKS proxy credentials in PostgreSQL (migration 6). Every method is a single statement, committed on its own;
 * `get` runs on every XKS proxy request and is cached by the store while the change counter stands still.
 */
export class PostgresXksCredentialRepository implements XksCredentialRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** The error names the access key id, which is not secret (it travels in every request's header). */
  async create(credential: XksCredential): Promise<void> {
    await insertingUnique(`XKS credential ${credential.accessKeyId}`, () => this.#pool.query(INSERT, xksCredentialValues(credential)));
  }

  async get(accessKeyId: string): Promise<XksCredential | undefined> {
    const row = (await this.#pool.query<XksCredentialRow>(GET, [accessKeyId])).rows[0];
    return row === undefined ? undefined : xksCredentialFromRow(row);
  }

  async list(accountId?: string): Promise<XksCredential[]> {
    const result = accountId === undefined
      ? await this.#pool.query<XksCredentialRow>(LIST_ALL)
      : await this.#pool.query<XksCredentialRow>(LIST_OF_ACCOUNT, [accountId]);
    return result.rows.map(xksCredentialFromRow);
  }

  async delete(accessKeyId: string): Promise<boolean> {
    return ((await this.#pool.query(DELETE, [accessKeyId])).rowCount ?? 0) > 0;
  }

  async recordUse(accessKeyId: string, at: number): Promise<void> {
    await this.#pool.query(RECORD_USE, [at, accessKeyId]);
  }
}
