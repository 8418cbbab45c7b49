import type { ReadinessChecks } from '../api/health-endpoints.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import type { Store } from '../store/store.js';
import type { AuditTrail } from './audit/audit-trail.js';

/** A setting nobody writes: reading it is the store's trivial query. */
const PROBE_SETTING = 'readiness-probe';
const PROBE_AAD = Buffer.from('strongroom-readiness-probe/1', 'utf8');

/**
 * What `/readyz` checks on a node: the store answers a trivial query; the root of trust unwraps what it wrapped;
 * with an audit trail, the trail accepts writes and no chain break was found. Each answer is a yes or no, nothing
 * more (no path, key id or reason: the log has those).
 *
 * @example
 *   new App({ ..., readiness: nodeReadinessChecks({ store, rootKey, audit }) });
 */
export function nodeReadinessChecks(parts: { store: Store; rootKey: RootOfTrust; audit?: AuditTrail }): ReadinessChecks {
  const { store, rootKey, audit } = parts;
  // Wrapped once: a probe only unwraps, so probing uses no fresh GCM nonce under the root key.
  const probe = SecretBytes.random(32);
  const wrappedProbe = rootKey.wrap(probe, PROBE_AAD);
  return {
    store: async () => {
      await store.settings.get(PROBE_SETTING);
      return true;
    },
    rootKey: () => {
      const unwrapped = rootKey.unwrap(wrappedProbe, PROBE_AAD);
      try {
        return unwrapped.equals(probe);
      } finally {
        unwrapped.wipe();
      }
    },
    ...(audit === undefined
      ? {}
      : { auditLog: () => audit.status().writable, auditChain: () => audit.status().chainIntact }),
  };
}
