import type { SecretBytes } from '../../crypto/secret-bytes.js';
import type { AccessKey, IamUser } from '../../store/store.js';
import { issueAccessKey } from '../../auth/access-keys.js';
import type { IamContext } from './iam-context.js';
import { LimitExceeded, NoSuchEntity } from '../../errors.js';

/** IAM's quota of access keys per user (and per root user). */
export const ACCESS_KEYS_PER_PRINCIPAL = 2;

/** A new access key; the secret exists only here and in the one response that returns it. */
export interface NewAccessKey {
  readonly record: AccessKey;
  readonly secret: SecretBytes;
}

/**
 * Issues a long-term access key (`AKIA...`) for an IAM user, or for the account root when `user` is
 * undefined. The secret is stored only wrapped by the root key. `LimitExceeded` beyond two keys.
 *
 * @example
 *   const { record, secret } = await createAccessKeyFor(context, '111122223333', user);
 */
export async function createAccessKeyFor(context: IamContext, accountId: string, user: IamUser | undefined): Promise<NewAccessKey> {
  const principal = user
    ? { accountId, principalArn: user.arn, principalType: 'IAMUser' as const, principalId: user.userId, userName: user.userName }
    : { accountId, principalArn: `arn:aws:iam::${accountId}:root`, principalType: 'Root' as const, principalId: accountId };
  const existing = await context.identities.listAccessKeys(principal.principalArn);
  if (existing.length >= ACCESS_KEYS_PER_PRINCIPAL) {
    throw new LimitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_PRINCIPAL}`);
  }
  const now = context.now();
  const { accessKeyId, secret } = await issueAccessKey(context.identities, context.rootKey, principal, now);
  const record = await context.identities.getAccessKey(accessKeyId);
  if (record === undefined) throw new Error('an access key just stored cannot be read back');
  return { record, secret };
}

/**
 * Deletes an access key of the given principal. Deleting takes effect on the next request on every node
 * (the credential resolver re-reads the key). `NoSuchEntity` when the key is not that principal's.
 */
export async function deleteAccessKeyOf(context: IamContext, principalArn: string, accessKeyId: string): Promise<void> {
  await requireAccessKeyOf(context, principalArn, accessKeyId);
  await context.identities.deleteAccessKey(accessKeyId);
}

/**
 * Activates or deactivates an access key of the given principal, as IAM's UpdateAccessKey: an inactive key
 * authenticates nothing (UnrecognizedClientException, InvalidClientTokenId) from the next request on, on every node,
 * and works again once active. `NoSuchEntity` when the key is not that principal's.
 */
export async function setAccessKeyStatusOf(
  context: IamContext,
  principalArn: string,
  accessKeyId: string,
  status: AccessKey['status'],
): Promise<void> {
  await requireAccessKeyOf(context, principalArn, accessKeyId);
  await context.identities.setAccessKeyStatus(accessKeyId, status);
}

/** The principal's long-term access key `accessKeyId` (temporary credentials are none of IAM's business). */
async function requireAccessKeyOf(context: IamContext, principalArn: string, accessKeyId: string): Promise<AccessKey> {
  const record = await context.identities.getAccessKey(accessKeyId);
  if (record === undefined || record.principalArn !== principalArn || record.expiresAt !== undefined) {
    throw new NoSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return record;
}

/** The principal's long-term access keys, oldest first (temporary credentials are not listed). */
export async function listAccessKeysOf(context: IamContext, principalArn: string): Promise<AccessKey[]> {
  return (await context.identities.listAccessKeys(principalArn)).filter((key) => key.expiresAt === undefined);
}
