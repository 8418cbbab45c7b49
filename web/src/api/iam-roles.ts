import {
  CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, ListRolesCommand, UpdateAssumeRolePolicyCommand, type IAMClient, type Role,
} from '@aws-sdk/client-iam';
import { readablePolicyDocument } from './iam-policy-document';

const PAGE_SIZE = 1000;

/** Every IAM role of the session's account (ListRoles leaves out trust policies: GetRole has them). */
export async function listRoles(iam: IAMClient): Promise<readonly Role[]> {
  const roles: Role[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolesCommand({ MaxItems: PAGE_SIZE, ...(marker ? { Marker: marker } : {}) }));
    roles.push(...(page.Roles ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return roles;
}

export interface NewRole {
  readonly roleName: string;
  /** The trust policy: who may assume the role. */
  readonly trustPolicy: string;
  readonly description?: string;
}

/**
 * Creates a role; the server checks the trust policy and refuses a malformed one (MalformedPolicyDocument).
 *
 * @example
 *   await createRole(clients.iam, { roleName: 'app', trustPolicy: trustPolicyTemplate(session.accountId) });
 */
export async function createRole(iam: IAMClient, role: NewRole): Promise<Role | undefined> {
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: role.roleName,
      AssumeRolePolicyDocument: role.trustPolicy,
      ...(role.description ? { Description: role.description } : {}),
    }),
  );
  return created.Role;
}

/**
 * Replaces a role's trust policy (UpdateAssumeRolePolicy): who may assume it from the next AssumeRole on. Sessions
 * already issued run until they expire. The server refuses a malformed document (MalformedPolicyDocument).
 */
export async function updateTrustPolicy(iam: IAMClient, roleName: string, trustPolicy: string): Promise<void> {
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trustPolicy }));
}

/** Deletes a role; IAM refuses with DeleteConflict while it still has inline policies. */
export async function deleteRole(iam: IAMClient, roleName: string): Promise<void> {
  await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
}

/** A role with its trust policy made readable (IAM returns it URL-encoded). */
export async function describeRole(iam: IAMClient, roleName: string): Promise<{ readonly role: Role; readonly trustPolicy: string }> {
  const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  if (!role) throw new Error(`GetRole returned no role for ${roleName}`);
  return { role, trustPolicy: readablePolicyDocument(role.AssumeRolePolicyDocument ?? '') };
}
