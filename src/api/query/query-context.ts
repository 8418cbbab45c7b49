import type { IamContext } from '../../service/identities/iam-context.js';
import { PolicyCache } from '../../auth/policy/index.js';
import type { ServiceDependencies } from '../../service/services.js';

/** What a query-protocol action (STS, IAM) needs besides its parameters and its authenticated caller. */
export interface QueryContext {
  readonly iam: IamContext;
  /** The client's address, for the aws:SourceIp condition key. */
  readonly sourceIp: string;
}

// One compiled-policy cache per node (per ServiceDependencies), made on first use.
const policyCaches = new WeakMap<ServiceDependencies, PolicyCache>();

/**
 * The identity-management context of a node's services.
 *
 * @example
 *   const context = { iam: iamContextOf(pipeline.deps), sourceIp: request.sourceIp };
 */
export function iamContextOf(deps: ServiceDependencies): IamContext {
  let policies = policyCaches.get(deps);
  if (policies === undefined) {
    policies = new PolicyCache(1000);
    policyCaches.set(deps, policies);
  }
  return { identities: deps.store.identities, rootKey: deps.rootKey, now: deps.now, policies };
}
