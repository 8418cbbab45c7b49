import { InvalidMarkerError, type Grant, type Page, type PageRequest } from '../store.js';

/** A `grants` row as both backends return it (absent values as null). */
export interface GrantRow {
  readonly seq: number;
  readonly key_arn: string;
  readonly grant_id: string;
  readonly name: string | null;
  readonly grantee_principal: string;
  readonly retiring_principal: string | null;
  readonly operations: string;
  readonly constraints: string | null;
  readonly issuing_account: string;
  readonly created_at: number;
  readonly token_hash: Buffer;
}

export const GRANT_COLUMNS =
  'key_arn, grant_id, name, grantee_principal, retiring_principal, operations, constraints, issuing_account, created_at, token_hash';

/** The values of a `grants` insert, in `GRANT_COLUMNS` order. */
export type GrantValues = [string, string, string | null, string, string | null, string, string | null, string, number, Buffer];

export function grantValues(grant: Grant): GrantValues {
  return [
    grant.keyArn,
    grant.grantId,
    grant.name ?? null,
    grant.granteePrincipal,
    grant.retiringPrincipal ?? null,
    JSON.stringify(grant.operations),
    grant.constraints === undefined ? null : JSON.stringify(copyConstraints(grant.constraints)),
    grant.issuingAccount,
    grant.createdAt,
    grant.tokenHash,
  ];
}

export function grantFromRow(row: GrantRow): Grant {
  return {
    keyArn: row.key_arn,
    grantId: row.grant_id,
    ...(row.name === null ? {} : { name: row.name }),
    granteePrincipal: row.grantee_principal,
    ...(row.retiring_principal === null ? {} : { retiringPrincipal: row.retiring_principal }),
    operations: JSON.parse(row.operations) as string[],
    ...(row.constraints === null ? {} : { constraints: copyConstraints(JSON.parse(row.constraints) as Grant['constraints'] & object) }),
    issuingAccount: row.issuing_account,
    createdAt: row.created_at,
    tokenHash: row.token_hash,
  };
}

/** Copies the two constraint maps by name, so nothing else reaches (or comes back from) the disk. */
function copyConstraints(constraints: NonNullable<Grant['constraints']>): NonNullable<Grant['constraints']> {
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = constraints;
  return {
    ...(subset === undefined ? {} : { encryptionContextSubset: { ...subset } }),
    ...(equals === undefined ? {} : { encryptionContextEquals: { ...equals } }),
  };
}

/**
 * Grant listings page by creation sequence. A marker is base64url of `["grants", lastSeq]`, decoded
 * strictly so a marker the store did not issue fails with `InvalidMarkerError`.
 */
export function seqAfter(page: PageRequest): number {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new RangeError(`page limit must be a positive integer, got ${page.limit}`);
  }
  if (page.marker === undefined) return 0;
  const bytes = Buffer.from(page.marker, 'base64url');
  if (page.marker.length === 0 || bytes.toString('base64url') !== page.marker) throw new InvalidMarkerError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidMarkerError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== 'grants') throw new InvalidMarkerError();
  const seq: unknown = parsed[1];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) throw new InvalidMarkerError();
  return seq;
}

/** A page from up to `limit + 1` rows in sequence order (the extra row only tells that more follow). */
export function grantPage(rows: readonly GrantRow[], limit: number): Page<Grant> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const page = { items: items.map(grantFromRow) };
  if (rows.length <= limit || last === undefined) return page;
  return { ...page, nextMarker: Buffer.from(JSON.stringify(['grants', last.seq]), 'utf8').toString('base64url') };
}
