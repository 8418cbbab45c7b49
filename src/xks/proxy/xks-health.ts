import { passesWithin, type ReadinessChecks } from '../../api/health-endpoints.js';
import { openAesGcm, sealAesGcm } from '../../crypto/aead.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { XksHealthResponse } from '../xks-wire.js';

/** Strongroom's version, as the health answer's models name it (a test keeps it in step with package.json). */
export const STRONGROOM_VERSION = '0.1.0';

/** Each check may take this long: AWS KMS waits 250 ms for the whole answer. */
const CHECK_TIMEOUT_MS = 150;

/** What the health answer reports the one external key manager as: this node, named by its root of trust. */
export interface XksHealthSubject {
  /** The node's checks (`/readyz`'s: store, root of trust, audit trail), all of which must pass. */
  readonly checks: ReadinessChecks;
  /** The root of trust's public fingerprint: the key manager's id. */
  readonly rootOfTrustId: string;
  /** `file`, `passphrase` or `pkcs11`. */
  readonly rootOfTrustKind: string;
}

/**
 * The specification's GetHealthStatus, with a deep check as it asks ("SHOULD verify ... is also able to perform
 * cryptographic operations"): the node's readiness checks — the store answers, the root of trust unwraps what it
 * wrapped, the audit trail accepts writes — and an AES-256-GCM seal and open under a test key of this process (never
 * a KMS key's: the specification asks for test keys, so that no key shows use without a KMS call). Run on every call,
 * each bounded in time; a failed or slow one makes the key manager `UNAVAILABLE`. Not authorized beyond the
 * signature ("MUST be excluded from secondary authorization"). One proxy, one key manager: this node.
 */
export async function xksGetHealthStatus(subject: XksHealthSubject): Promise<XksHealthResponse> {
  const checks = [...Object.values(subject.checks), aesSelfTest];
  const results = await Promise.all(checks.map((check) => passesWithin(check, CHECK_TIMEOUT_MS)));
  return {
    xksProxyFleetSize: 1,
    xksProxyVendor: 'Strongroom',
    xksProxyModel: `Strongroom XKS proxy ${STRONGROOM_VERSION}`,
    ekmVendor: 'Strongroom',
    ekmFleetDetails: [
      {
        id: `strongroom-${subject.rootOfTrustId}`,
        model: `Strongroom ${STRONGROOM_VERSION} (${subject.rootOfTrustKind} root of trust)`,
        healthStatus: results.every(Boolean) ? 'ACTIVE' : 'UNAVAILABLE',
      },
    ],
  };
}

let testKey: SecretBytes | undefined;
const TEST_PLAINTEXT = Buffer.from('strongroom xks health check', 'utf8');
const TEST_AAD = Buffer.from('strongroom-xks-health/1', 'utf8');

/** AES-256-GCM works in this process: a value sealed under the test key opens to itself. */
function aesSelfTest(): boolean {
  testKey ??= SecretBytes.random(32);
  const { iv, ciphertext, tag } = sealAesGcm(testKey, TEST_PLAINTEXT, TEST_AAD);
  const opened = openAesGcm(testKey, iv, ciphertext, tag, TEST_AAD);
  try {
    return opened.expose().equals(TEST_PLAINTEXT);
  } finally {
    opened.wipe();
  }
}

