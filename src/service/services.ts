import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyPairGenerator } from '../crypto/key-generation/key-pair-generator.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import type { MaterialCache } from '../keys/material-cache.js';
import type { Store } from '../store/store.js';
import type { XksClient } from '../xks/xks-client.js';
import type { KeyStoreTokens } from './custom-key-stores/key-store-tokens.js';
import type { PrivateKeyCache } from './private-key-cache.js';
import type { RequestContext } from './request-context.js';

/**
 * What the service layer needs from the outside world, passed in explicitly so tests can replace any of it
 * (a fixed clock, seeded ids, a faulty store).
 */
export interface ServiceDependencies {
  readonly store: Store;
  readonly rootKey: RootOfTrust;
  readonly materials: MaterialCache;
  /** Parsed asymmetric private keys, by `materialCacheKey` (beside `materials`, which holds raw secrets). */
  readonly privateKeys: PrivateKeyCache;
  /** This process's sessions with the tokens of custom key stores; closed with the node. */
  readonly keyStoreTokens: KeyStoreTokens;
  /** Calls the XKS proxies of external key stores; closed with the node. */
  readonly xksClient: XksClient;
  /** Key pairs for CreateKey and GenerateDataKeyPair, RSA off the event loop; one per node, closed with it. */
  readonly keyPairs: KeyPairGenerator;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** A new key id (a UUID). Seeded in deterministic development set-ups. */
  readonly newKeyId: () => string;
  /** A new key material id: 64 lowercase hex characters. */
  readonly newMaterialId: () => string;
  /** The last cryptographic use of keys, read from the audit trail (GetKeyLastUsage); absent when it is off. */
  readonly keyUsage?: KeyUsageTracker;
  /** A `--dev` node's: CreateKey then honours LocalStack's tags (seeding/localstack-tags.ts). */
  readonly developmentMode?: boolean;
  /** The KMS request being served (the pipeline adds it for the operation's handler); absent outside a request. */
  readonly request?: RequestContext;
}

/** A key's last successful cryptographic operation, as GetKeyLastUsage reports it. */
export interface KeyUsageRecord {
  readonly operation: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly cloudTrailEventId: string;
  readonly kmsRequestId?: string;
}

/** The narrow view of the audit trail that GetKeyLastUsage needs (the service layer does not import audit/). */
export interface KeyUsageTracker {
  /** The key's last successful tracked cryptographic operation in the retained trail. */
  lastUsage(keyArn: string): Promise<KeyUsageRecord | undefined>;
  /** When the retained trail begins (epoch ms); undefined while it is empty. */
  trackingStart(): Promise<number | undefined>;
}

export function defaultIdSources(): Pick<ServiceDependencies, 'newKeyId' | 'newMaterialId'> {
  return {
    newKeyId: () => randomUUID(),
    newMaterialId: () => randomBytes(32).toString('hex'),
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
