import { CreateUserCommand, DeleteUserCommand, GetUserCommand, ListUsersCommand, type IAMClient, type User } from '@aws-sdk/client-iam';

/** An account holds few users: the console lists them all, following IAM's markers (1000 a page). */
const PAGE_SIZE = 1000;

/**
 * Every IAM user of the session's account, in the server's order.
 *
 * @example
 *   const users = await listUsers(clients.iam); // [{ UserName: 'alice', Arn: 'arn:aws:iam::...:user/alice', ... }]
 */
export async function listUsers(iam: IAMClient): Promise<readonly User[]> {
  const users: User[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListUsersCommand({ MaxItems: PAGE_SIZE, ...(marker ? { Marker: marker } : {}) }));
    users.push(...(page.Users ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return users;
}

/** Creates a user (path `/` unless given); IAM refuses a taken name with EntityAlreadyExists. */
export async function createUser(iam: IAMClient, userName: string, path?: string): Promise<User | undefined> {
  const created = await iam.send(new CreateUserCommand({ UserName: userName, ...(path ? { Path: path } : {}) }));
  return created.User;
}

/** Deletes a user; IAM refuses with DeleteConflict while it still has access keys or inline policies. */
export async function deleteUser(iam: IAMClient, userName: string): Promise<void> {
  await iam.send(new DeleteUserCommand({ UserName: userName }));
}

/** One user by name; NoSuchEntity when there is none. */
export async function describeUser(iam: IAMClient, userName: string): Promise<User> {
  const { User: user } = await iam.send(new GetUserCommand({ UserName: userName }));
  if (!user) throw new Error(`GetUser returned no user for ${userName}`);
  return user;
}
