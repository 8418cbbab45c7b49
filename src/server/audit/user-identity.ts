import type { UserIdentity } from '../../audit/index.js';
import type { Caller } from '../../auth/caller.js';

/**
 * CloudTrail's `userIdentity` of an authenticated caller, as AWS writes it for KMS calls:
 * - root: `{ type: 'Root', principalId: <account>, arn: 'arn:aws:iam::<account>:root', accountId, accessKeyId }`;
 * - IAM user: `{ type: 'IAMUser', principalId: 'AIDA...', arn, accountId, accessKeyId, userName }`;
 * - assumed role: `{ type: 'AssumedRole', principalId: 'AROA...:<session>', arn: '...:assumed-role/<role>/<session>',
 *   accountId, accessKeyId, sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROA...',
 *   arn: 'arn:aws:iam::<account>:role/<role>', accountId, userName: <role> }, attributes } }`.
 *
 * @param sessionCreatedAt when the temporary credentials were issued (epoch ms), for `sessionContext`.
 * @example
 *   userIdentityOf(caller) // → { type: 'IAMUser', principalId: 'AIDA...', arn: 'arn:aws:iam::111122223333:user/Alice', ... }
 */
export function userIdentityOf(caller: Caller, sessionCreatedAt?: number): UserIdentity {
  const identity: UserIdentity = {
    type: caller.type,
    principalId: caller.principalId,
    arn: caller.arn,
    accountId: caller.accountId,
    accessKeyId: caller.accessKeyId,
  };
  if (caller.type === 'IAMUser' && caller.userName !== undefined) identity.userName = caller.userName;
  if (caller.type === 'AssumedRole') {
    const roleName = roleNameOf(caller.arn);
    identity.sessionContext = {
      sessionIssuer: {
        type: 'Role',
        principalId: caller.principalId.split(':')[0] ?? caller.principalId,
        arn: `arn:aws:iam::${caller.accountId}:role/${roleName}`,
        accountId: caller.accountId,
        userName: roleName,
      },
      attributes: {
        creationDate: new Date(Math.floor((sessionCreatedAt ?? 0) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        mfaAuthenticated: 'false',
      },
    };
  }
  return identity;
}

/**
 * The identity of a request that was not authenticated (missing, malformed or forged signature, unknown
 * access key). CloudTrail has no principal to name; `Unknown` keeps the record's shape.
 */
export const UNAUTHENTICATED_IDENTITY: UserIdentity = Object.freeze({ type: 'Unknown' });

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>` → `<role>`. */
function roleNameOf(assumedRoleArn: string): string {
  const resource = assumedRoleArn.slice(assumedRoleArn.indexOf(':assumed-role/') + ':assumed-role/'.length);
  return resource.slice(0, resource.lastIndexOf('/'));
}
