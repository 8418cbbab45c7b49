import { ThrottlingException } from '../../errors.js';
import type { KeySpec } from '../../keys/key-spec.js';
import type { QuotaBuckets } from './quota-buckets.js';
import { quotaNameOf } from './quota-table.js';

/**
 * AWS's request quotas, as the request pipeline sees them: one call per request, after the request's key is
 * resolved (the cryptographic quotas depend on its spec). Implemented over a node's own buckets
 * (`LocalRequestQuotas`, one serving process) or over tokens leased from the primary (`LeasedRequestQuotas`,
 * a worker); see docs/adr/0014-request-quotas.md.
 */
export interface RequestQuotas {
  /**
   * Spends one request of the quota this request counts against, or throws `ThrottlingException` (AWS's
   * message) when that quota is used up. Requests no quota covers pass.
   *
   * Returns a promise only when it has to wait (a worker whose lease ran out asks the primary); the hot path
   * returns undefined, so a caller awaits only what it must:
   *
   * @example
   *   const waiting = quotas.take(caller.accountId, region, 'Encrypt', key.spec);
   *   if (waiting) await waiting;
   *
   * @param accountId the caller's account: AWS throttles the account that calls, not the key's owner.
   * @param keySpec the spec of the KMS key the request uses (ReEncrypt: its source key); none for GenerateRandom
   *   and the operations that name no key.
   * @param keyPairSpec GenerateDataKeyPair[WithoutPlaintext]'s `KeyPairSpec`, which chooses its quota.
   */
  take(accountId: string, region: string, operation: string, keySpec?: KeySpec, keyPairSpec?: string): Promise<void> | undefined;
}

/** What a throttled request is answered with. */
export function throttled(): ThrottlingException {
  return new ThrottlingException();
}

/** Request quotas over this process's own buckets (a single serving process). Never waits. */
export class LocalRequestQuotas implements RequestQuotas {
  readonly #buckets: QuotaBuckets;

  constructor(buckets: QuotaBuckets) {
    this.#buckets = buckets;
  }

  take(accountId: string, region: string, operation: string, keySpec?: KeySpec, keyPairSpec?: string): undefined {
    const quotaName = quotaNameOf(operation, keySpec, keyPairSpec);
    if (quotaName !== undefined && this.#buckets.take(accountId, region, quotaName, 1) === 0) throw throttled();
    return undefined;
  }
}
