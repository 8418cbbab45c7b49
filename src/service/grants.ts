import { randomBytes } from 'node:crypto';
import { InvalidArnException, LimitExceededException, NotFoundException, ValidationException } from '../errors.js';
import { grantTokenHash, grantTokenSecret, issueGrantToken, parseGrantToken } from '../auth/grants/grant-token.js';
import type { KmsKey } from '../keys/key.js';
import { KEY_SPECS, type KeyUsage } from '../keys/key-spec.js';
import type { Grant } from '../store/store.js';
import { grantTokenKey } from './grant-token-key.js';
import type { ServiceDependencies } from './services.js';

/** AWS KMS's quota: grants per KMS key. */
export const MAX_GRANTS_PER_KEY = 50_000;

export interface NewGrant {
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly constraints?: Grant['constraints'];
  readonly name?: string;
}

const COMMON_OPERATIONS = ['CreateGrant', 'RetireGrant', 'DescribeKey'];
/** The grant operations that make sense for each key usage (AWS refuses the others). */
const OPERATIONS_BY_USAGE: Readonly<Record<KeyUsage, readonly string[]>> = {
  ENCRYPT_DECRYPT: ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
    'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GetPublicKey'],
  SIGN_VERIFY: ['Sign', 'Verify', 'GetPublicKey'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac'],
  KEY_AGREEMENT: ['DeriveSharedSecret', 'GetPublicKey'],
};
const PUBLIC_KEY_OPERATIONS = ['GetPublicKey'];
const DATA_KEY_OPERATIONS = ['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'];
const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)|sts::\d{12}:(assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+))$/;

/**
 * Creates a grant on `key` (CreateGrant) and issues a grant token for it. With a `name`, a retry with the same
 * parameters returns the existing grant's id (and a new token for it, as AWS does) instead of a second grant.
 */
export async function createGrant(
  deps: ServiceDependencies,
  key: KmsKey,
  issuingAccount: string,
  request: NewGrant,
): Promise<{ grantId: string; grantToken: string }> {
  const grant: Omit<Grant, 'grantId' | 'tokenHash'> = {
    keyArn: key.arn,
    granteePrincipal: normalisePrincipal(request.granteePrincipal),
    ...(request.retiringPrincipal === undefined ? {} : { retiringPrincipal: normalisePrincipal(request.retiringPrincipal) }),
    operations: [...new Set(request.operations)],
    ...(request.constraints === undefined ? {} : { constraints: request.constraints }),
    ...(request.name === undefined ? {} : { name: request.name }),
    issuingAccount,
    createdAt: deps.now(),
  };
  assertOperationsFit(key, grant.operations);
  const tokenKey = await grantTokenKey(deps.rootKey, deps.store.settings);
  const existing = await deps.store.grants.listAll(key.arn);
  const same = grant.name === undefined ? undefined : existing.find((other) => sameGrant(other, grant));
  if (same !== undefined) {
    return { grantId: same.grantId, grantToken: issueGrantToken(grantTokenSecret(tokenKey, key.arn, same.grantId), key.arn) };
  }
  if (existing.length >= MAX_GRANTS_PER_KEY) {
    throw new LimitExceededException(`The request was rejected because ${key.arn} has reached the limit of ${MAX_GRANTS_PER_KEY} grants.`);
  }
  const grantId = randomBytes(32).toString('hex');
  const secret = grantTokenSecret(tokenKey, key.arn, grantId);
  await deps.store.grants.create({ ...grant, grantId, tokenHash: grantTokenHash(secret) });
  return { grantId, grantToken: issueGrantToken(secret, key.arn) };
}

/** The grant a RetireGrant or RevokeGrant names on `key`, or AWS's NotFoundException. */
export async function findGrant(deps: ServiceDependencies, key: KmsKey, by: { grantToken?: string; grantId?: string }): Promise<Grant> {
  const grant = by.grantToken !== undefined
    ? await deps.store.grants.findByTokenHash(parseGrantToken(by.grantToken).tokenHash)
    : by.grantId !== undefined ? await deps.store.grants.get(key.arn, by.grantId) : undefined;
  if (grant === undefined || grant.keyArn !== key.arn || (by.grantId !== undefined && grant.grantId !== by.grantId)) {
    throw new NotFoundException(`Grant ID ${by.grantId ?? 'of the grant token'} not found for key ${key.arn}`);
  }
  return grant;
}

/** Deletes a grant (RetireGrant, RevokeGrant); durable — and no longer allowing anything — when this resolves. */
export async function deleteGrant(deps: ServiceDependencies, grant: Grant): Promise<void> {
  await deps.store.grants.delete(grant.keyArn, grant.grantId);
}

/** An account id names its root user; grants store the ARN, which is what ListGrants shows. */
function normalisePrincipal(principal: string): string {
  const account = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(principal)?.[1];
  if (ACCOUNT_ID.test(principal) || account !== undefined) return `arn:aws:iam::${account ?? principal}:root`;
  if (!PRINCIPAL_ARN.test(principal)) throw new InvalidArnException(`ARN does not refer to a valid principal: ${principal}`);
  return principal;
}

function assertOperationsFit(key: KmsKey, operations: readonly string[]): void {
  if (operations.length === 0) throw new ValidationException('Grant operations must not be empty.');
  const allowed = new Set([...COMMON_OPERATIONS, ...OPERATIONS_BY_USAGE[key.usage]]);
  const capabilities = KEY_SPECS[key.spec];
  if (capabilities.keyType !== 'asymmetric') for (const operation of PUBLIC_KEY_OPERATIONS) allowed.delete(operation);
  if (!capabilities.wrapsDataKeys) for (const operation of DATA_KEY_OPERATIONS) allowed.delete(operation);
  const invalid = operations.filter((operation) => !allowed.has(operation));
  if (invalid.length > 0) {
    throw new ValidationException(`Grant operations ${invalid.join(', ')} are not valid for ${key.arn}, whose key usage is ${key.usage}.`);
  }
}

function sameGrant(stored: Grant, requested: Omit<Grant, 'grantId' | 'tokenHash'>): boolean {
  return stored.name === requested.name
    && stored.granteePrincipal === requested.granteePrincipal
    && stored.retiringPrincipal === requested.retiringPrincipal
    && sameSet(stored.operations, requested.operations)
    && JSON.stringify(canonical(stored.constraints)) === JSON.stringify(canonical(requested.constraints));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function canonical(constraints: Grant['constraints']): unknown {
  if (constraints === undefined) return null;
  const sorted = (map: Readonly<Record<string, string>> | undefined) =>
    map === undefined ? null : Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [sorted(constraints.encryptionContextSubset), sorted(constraints.encryptionContextEquals)];
}
