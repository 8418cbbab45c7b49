import type { Caller } from '../../auth/caller.js';
import { evaluateKeyAccess, type RequestContext } from '../../auth/policy/index.js';
import { AccessDenied, ValidationError } from '../../errors.js';
import type { IamContext } from './iam-context.js';
import { loadIdentityPolicies, requestPrincipalOf, sessionRoleArn } from '../../auth/authorization/identity-policies.js';
import { issueRoleSession, type TemporaryCredentials } from './temporary-credentials.js';

/** STS's session duration bounds and default (seconds), and the limit on role chaining. */
export const SESSION_DURATION = { min: 900, default: 3_600, chainedMax: 3_600 } as const;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007e]*\/)?([\w+=,.@-]{1,64})$/u;

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds?: number;
  readonly externalId?: string;
  readonly sourceIp?: string;
}

export interface AssumeRoleOptions {
  /**
   * AWS refuses AssumeRole to root users. Development mode lifts that for its well-known root credentials,
   * as LocalStack does, so tests written for it run unchanged.
   */
  readonly allowRootCaller: boolean;
}

/**
 * STS AssumeRole. The role's trust policy decides with AWS's rule: a trust policy naming the caller (its
 * ARN, its role, `*`) allows a caller of the role's own account; a trust policy naming only the caller's
 * account delegates, and the caller's identity policies must then allow `sts:AssumeRole` on the role too;
 * a caller of another account always needs both. An explicit Deny in either wins. A role that does not
 * exist is denied exactly like one that does (the message does not tell them apart).
 *
 * @example
 *   const session = await assumeRole(context, caller, { roleArn, roleSessionName: 'ci' }, { allowRootCaller: false });
 */
export async function assumeRole(
  context: IamContext,
  caller: Caller,
  request: AssumeRoleRequest,
  options: AssumeRoleOptions,
): Promise<TemporaryCredentials> {
  const parsed = ROLE_ARN.exec(request.roleArn);
  if (parsed === null) throw new ValidationError(`${request.roleArn} is invalid`);
  if (caller.type === 'Root' && !options.allowRootCaller) throw new AccessDenied('Roles may not be assumed by root accounts.');
  const denied = new AccessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`);
  const role = await context.identities.getRole(parsed[1] ?? '', parsed[2] ?? '');
  if (role === undefined || role.arn !== request.roleArn) throw denied;

  const duration = request.durationSeconds ?? SESSION_DURATION.default;
  if (duration > role.maxSessionDurationSeconds) {
    throw new ValidationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  if (caller.type === 'AssumedRole' && duration > SESSION_DURATION.chainedMax) {
    throw new ValidationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }

  const callerRoleArn = caller.type === 'AssumedRole' ? await sessionRoleArn(caller, context.identities) : undefined;
  const question: RequestContext = {
    action: 'sts:AssumeRole',
    resource: role.arn,
    principal: requestPrincipalOf(caller, callerRoleArn),
    conditions: {
      'aws:CurrentTime': new Date(context.now()).toISOString(),
      'sts:RoleSessionName': request.roleSessionName,
      ...(request.externalId !== undefined ? { 'sts:ExternalId': request.externalId } : {}),
      ...(request.sourceIp !== undefined ? { 'aws:SourceIp': request.sourceIp } : {}),
    },
  };
  // The trust policy is the role's resource policy: the key-access rule (same account: a direct Allow
  // suffices, an account-root Allow delegates; cross-account: both sides) is exactly IAM's rule for roles.
  const decision = evaluateKeyAccess({
    keyPolicy: context.policies.get(role.trustPolicy, 'trust'),
    identityPolicies: await loadIdentityPolicies(caller, context.identities, context.policies),
    grants: [],
    request: question,
  });
  if (decision.effect !== 'Allow') throw denied;
  return issueRoleSession(context, role, request.roleSessionName, duration);
}
