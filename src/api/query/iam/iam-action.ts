import type { Caller } from '../../../auth/caller.js';
import { authorizeIamAction } from '../../../auth/authorization/iam-authorization.js';
import type { IamContext } from '../../../service/identities/iam-context.js';
import type { QueryAction } from '../query-action.js';
import { IAM_NAMESPACE } from './iam-wire.js';

/**
 * Declares an IAM action (SigV4 service `iam`, IAM's namespace). Handlers authorize through `authorize`,
 * once they know the ARN of the user or role they act on.
 */
export function iamAction(readOnly: boolean, handle: QueryAction['handle']): QueryAction {
  return { service: 'iam', namespace: IAM_NAMESPACE, readOnly, handle };
}

/** A parameter's value, or undefined when the request does not carry it. */
export function parameter(parameters: URLSearchParams, name: string): string | undefined {
  return parameters.get(name) ?? undefined;
}

/**
 * Allows the caller `iam:<action>` on `resource`, or throws AccessDenied.
 *
 * @example
 *   await authorize(context.iam, caller, 'CreateUser', userArn(caller.accountId, path, userName));
 */
export function authorize(context: IamContext, caller: Caller, action: string, resource: string): Promise<void> {
  return authorizeIamAction(context, caller, `iam:${action}`, resource);
}
