import type { IAMClient } from '@aws-sdk/client-iam';
import { listAccounts } from './iam-accounts';
import { listRoles } from './iam-roles';
import { listUsers } from './iam-users';
import { isRoot, type Session } from './session';

/** A principal to suggest: its ARN and what to call it. */
export interface KnownPrincipal {
  readonly arn: string;
  readonly label: string;
}

/**
 * The principals the console knows of, to suggest: the session account's root, users and roles, and for the
 * administrator the root of every account. Lists the caller may not read are left out rather than failing:
 * these are suggestions, and any ARN can be typed.
 *
 * @example
 *   await knownPrincipals(clients.iam, session); // [{ arn: 'arn:aws:iam::111122223333:root', label: 'Account root' }, ...]
 */
export async function knownPrincipals(iam: IAMClient, session: Session): Promise<readonly KnownPrincipal[]> {
  const [users, roles, accounts] = await Promise.all([
    listUsers(iam).catch(() => []),
    listRoles(iam).catch(() => []),
    // Only an account's root can be the administrator: nobody else asks the admin API.
    isRoot(session) ? listAccounts(session).catch(() => []) : [],
  ]);
  const own = session.accountId;
  const principals: KnownPrincipal[] = [
    { arn: `arn:aws:iam::${own}:root`, label: 'Account root' },
    ...users.flatMap((user) => (user.Arn ? [{ arn: user.Arn, label: `User ${user.UserName ?? ''}` }] : [])),
    ...roles.flatMap((role) => (role.Arn ? [{ arn: role.Arn, label: `Role ${role.RoleName ?? ''}` }] : [])),
    ...accounts
      .filter((account) => account.accountId !== own)
      .map((account) => ({ arn: `arn:aws:iam::${account.accountId}:root`, label: `Root of account ${account.accountId}` })),
  ];
  return principals;
}
