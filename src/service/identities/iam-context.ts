import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import type { IdentityRepository } from '../../store/store.js';
import type { PolicyCache } from '../../auth/policy/index.js';

/**
 * What identity management needs, passed in explicitly: the identity store, the root key (secret access
 * keys are stored wrapped by it), the clock (epoch milliseconds) and the compiled-policy cache.
 *
 * @example
 *   const context: IamContext = { identities: store.identities, rootKey, now: Date.now, policies: new PolicyCache() };
 */
export interface IamContext {
  readonly identities: IdentityRepository;
  readonly rootKey: RootOfTrust;
  readonly now: () => number;
  readonly policies: PolicyCache;
}
