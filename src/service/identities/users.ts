import { DuplicateError, type IamUser } from '../../store/store.js';
import { userArn } from '../../auth/authorization/iam-authorization.js';
import type { IamContext } from './iam-context.js';
import { DeleteConflict, EntityAlreadyExists, NoSuchEntity } from '../../errors.js';
import { newUniqueId } from './unique-ids.js';

/**
 * Creates an IAM user with a new unique id (`AIDA...`). Names are validated by the caller (`iam-names.ts`).
 * Throws `EntityAlreadyExists` when the account has a user of that name in any case.
 *
 * @example
 *   const user = await createUser(context, '111122223333', { userName: 'bob', path: '/' });
 *   user.arn; // 'arn:aws:iam::111122223333:user/bob'
 */
export async function createUser(
  context: IamContext,
  accountId: string,
  request: { readonly userName: string; readonly path: string },
): Promise<IamUser> {
  const user: IamUser = {
    accountId,
    userName: request.userName,
    userId: newUniqueId('AIDA'),
    arn: userArn(accountId, request.path, request.userName),
    path: request.path,
    createdAt: context.now(),
  };
  try {
    await context.identities.createUser(user);
  } catch (error) {
    if (error instanceof DuplicateError) throw new EntityAlreadyExists(`User with name ${request.userName} already exists.`);
    throw error;
  }
  return user;
}

/** The user, or IAM's `NoSuchEntity`. */
export async function requireUser(context: IamContext, accountId: string, userName: string): Promise<IamUser> {
  const user = await context.identities.getUser(accountId, userName);
  if (user === undefined) throw new NoSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

/**
 * Deletes a user. As IAM does, refuses with `DeleteConflict` while the user still has access keys or
 * inline policies: deleting them is an explicit step, so nothing is revoked by surprise.
 */
export async function deleteUser(context: IamContext, accountId: string, userName: string): Promise<void> {
  const user = await requireUser(context, accountId, userName);
  if ((await context.identities.listAccessKeys(user.arn)).length > 0) {
    throw new DeleteConflict('Cannot delete entity, must delete access keys first.');
  }
  if ((await context.identities.listPolicies(user.arn)).length > 0) {
    throw new DeleteConflict('Cannot delete entity, must delete policies first.');
  }
  await context.identities.deleteUser(accountId, user.userName);
}

/** Users whose path starts with `pathPrefix`, by name. */
export async function listUsers(context: IamContext, accountId: string, pathPrefix = '/'): Promise<IamUser[]> {
  return (await context.identities.listUsers(accountId)).filter((user) => user.path.startsWith(pathPrefix));
}
