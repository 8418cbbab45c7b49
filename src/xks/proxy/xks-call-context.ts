import type { Authorizer } from '../../auth/authorization/authorizer.js';
import type { Caller } from '../../auth/caller.js';
import type { KeyScope } from '../../keys/key.js';
import type { ServiceDependencies } from '../../service/services.js';

/** What every call of the proxy works with once its request is authenticated. */
export interface XksCallContext {
  readonly deps: ServiceDependencies;
  /** The authorizer the KMS API enforces: key policies, IAM policies and grants. */
  readonly authorizer: Authorizer;
  /** The IAM user the request's XKS credential acts as. */
  readonly caller: Caller;
  /** The credential's account, in the region of the request's credential scope: where `{keyId}` is looked up. */
  readonly scope: KeyScope;
  readonly sourceIp: string;
  readonly secureTransport: boolean;
}
