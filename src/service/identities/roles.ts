import { DuplicateError, type IamRole } from '../../store/store.js';
import { roleArn } from '../../auth/authorization/iam-authorization.js';
import type { IamContext } from './iam-context.js';
import { DeleteConflict, EntityAlreadyExists, LimitExceeded, NoSuchEntity } from '../../errors.js';
import { policySize, validatePolicyDocument } from './policy-documents.js';
import { newUniqueId } from './unique-ids.js';

/** The session duration of a role when CreateRole names none, and the bounds IAM accepts (seconds). */
export const DEFAULT_MAX_SESSION_DURATION = 3_600;
export const MAX_SESSION_DURATION_BOUNDS = { min: 3_600, max: 43_200 } as const;
/** IAM's default quota on a role trust policy's length (white space not counted). */
export const TRUST_POLICY_MAX_SIZE = 2_048;

export interface CreateRoleRequest {
  readonly roleName: string;
  readonly path: string;
  /** The trust policy (`AssumeRolePolicyDocument`): who may assume the role. */
  readonly trustPolicy: string;
  readonly description?: string;
  readonly maxSessionDurationSeconds?: number;
}

/**
 * Creates a role with a new unique id (`AROA...`) after validating its trust policy
 * (`MalformedPolicyDocument`, `LimitExceeded`). `EntityAlreadyExists` when the name is taken in any case.
 *
 * @example
 *   await createRole(context, '111122223333', { roleName: 'reader', path: '/', trustPolicy });
 */
export async function createRole(context: IamContext, accountId: string, request: CreateRoleRequest): Promise<IamRole> {
  validateTrustPolicy(request.trustPolicy);
  const role: IamRole = {
    accountId,
    roleName: request.roleName,
    roleId: newUniqueId('AROA'),
    arn: roleArn(accountId, request.path, request.roleName),
    path: request.path,
    trustPolicy: request.trustPolicy,
    ...(request.description !== undefined ? { description: request.description } : {}),
    maxSessionDurationSeconds: request.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_DURATION,
    createdAt: context.now(),
  };
  try {
    await context.identities.createRole(role);
  } catch (error) {
    if (error instanceof DuplicateError) throw new EntityAlreadyExists(`Role with name ${request.roleName} already exists.`);
    throw error;
  }
  return role;
}

/**
 * Replaces a role's trust policy, as IAM's UpdateAssumeRolePolicy: validated as CreateRole validates it; who may
 * assume the role changes from the next AssumeRole on (sessions already issued keep running until they expire, as
 * in IAM). `NoSuchEntity` when there is no such role.
 *
 * @example
 *   await updateTrustPolicy(context, '111122223333', 'reader', trustPolicy);
 */
export async function updateTrustPolicy(context: IamContext, accountId: string, roleName: string, trustPolicy: string): Promise<void> {
  validateTrustPolicy(trustPolicy);
  const role = await requireRole(context, accountId, roleName);
  await context.identities.setRoleTrustPolicy(accountId, role.roleName, trustPolicy);
}

/** `MalformedPolicyDocument` for a document that is no trust policy, `LimitExceeded` past IAM's quota. */
function validateTrustPolicy(trustPolicy: string): void {
  validatePolicyDocument(trustPolicy, 'trust');
  if (policySize(trustPolicy) > TRUST_POLICY_MAX_SIZE) {
    throw new LimitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX_SIZE}`);
  }
}

/** The role, or IAM's `NoSuchEntity`. */
export async function requireRole(context: IamContext, accountId: string, roleName: string): Promise<IamRole> {
  const role = await context.identities.getRole(accountId, roleName);
  if (role === undefined) throw new NoSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

/**
 * Deletes a role; `DeleteConflict` while it has inline policies, as IAM does. Sessions already issued for
 * the role lose its permissions at once: their identity policies are looked up through the role's unique
 * id, which a re-created role of the same name does not share.
 */
export async function deleteRole(context: IamContext, accountId: string, roleName: string): Promise<void> {
  const role = await requireRole(context, accountId, roleName);
  if ((await context.identities.listPolicies(role.arn)).length > 0) {
    throw new DeleteConflict('Cannot delete entity, must delete policies first.');
  }
  await context.identities.deleteRole(accountId, role.roleName);
}

/** Roles whose path starts with `pathPrefix`, by name. */
export async function listRoles(context: IamContext, accountId: string, pathPrefix = '/'): Promise<IamRole[]> {
  return (await context.identities.listRoles(accountId)).filter((role) => role.path.startsWith(pathPrefix));
}
