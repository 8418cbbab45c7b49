import { randomBytes } from 'node:crypto';
import type { CloudHsmKeyStore, ExternalKeyStore, HsmCluster } from '../../../src/keys/custom-key-store.js';
import { keyArn, type Alias, type KeyMaterial, type KeyScope, type KmsKey } from '../../../src/keys/key.js';
import type { AccessKey, Store } from '../../../src/store/store.js';

/** Opens a store no other test has touched. */
export type OpenFreshStore = () => Promise<Store>;
/** Opens the storage of `store` again: after `store` was closed (a restart), or beside it (another process or node). */
export type ReopenStore = (store: Store) => Promise<Store>;

export const SCOPE: KeyScope = { accountId: '111122223333', region: 'eu-west-1' };
export const OTHER_ACCOUNT: KeyScope = { accountId: '444455556666', region: 'eu-west-1' };
export const OTHER_REGION: KeyScope = { accountId: '111122223333', region: 'us-east-1' };

/** A fixed moment (2025-01-01T00:00:00Z) that test times are relative to. */
export const T0 = Date.UTC(2025, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

type Writable<T> = { -readonly [P in keyof T]: T[P] };

/** An Enabled symmetric key of revision 1 with no optional fields, changed by `overrides`. */
export function makeKey(scope: KeyScope, id: string, overrides: Partial<Writable<KmsKey>> = {}): KmsKey {
  return {
    accountId: scope.accountId,
    region: scope.region,
    id,
    arn: keyArn(scope, id),
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    manager: 'CUSTOMER',
    multiRegion: false,
    createdAt: T0,
    description: '',
    state: 'Enabled',
    policy: '{"Version":"2012-10-17","Statement":[]}',
    tags: [],
    rotation: { enabled: false, periodInDays: 365 },
    currentMaterialId: `${id}-m1`,
    revision: 1,
    ...overrides,
  };
}

/** The same key with `changes` applied and the revision advanced, as a service would store it. */
export function nextRevision(key: KmsKey, changes: Partial<Writable<KmsKey>> = {}): KmsKey {
  return { ...key, ...changes, revision: key.revision + 1 };
}

/** A key material version with random wrapped bytes (so buffers are compared byte for byte). */
export function makeMaterial(key: KmsKey, id: string, extra: Partial<Writable<KeyMaterial>> = {}): KeyMaterial {
  return { keyArn: key.arn, id, createdAt: T0, wrapped: randomBytes(60), ...extra };
}

export function makeAlias(scope: KeyScope, name: string, targetKeyId: string): Alias {
  return { accountId: scope.accountId, region: scope.region, name, targetKeyId, createdAt: T0, updatedAt: T0 };
}

/** An active IAM user's access key without the optional fields, changed by `overrides`. */
export function makeAccessKey(accessKeyId: string, overrides: Partial<Writable<AccessKey>> = {}): AccessKey {
  return {
    accessKeyId,
    accountId: SCOPE.accountId,
    principalArn: `arn:aws:iam::${SCOPE.accountId}:user/alice`,
    principalType: 'IAMUser',
    principalId: 'AIDAEXAMPLEALICE0001',
    wrappedSecret: randomBytes(72),
    status: 'Active',
    createdAt: T0,
    ...overrides,
  };
}

/** A registered HSM cluster (a PKCS#11 token) with a made-up module path. */
export function makeCluster(clusterId: string, overrides: Partial<Writable<HsmCluster>> = {}): HsmCluster {
  return { clusterId, modulePath: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: `token-${clusterId}`, registeredAt: T0, ...overrides };
}

/** A DISCONNECTED custom key store of revision 1 on `clusterId`, with a random wrapped PIN, changed by `overrides`. */
export function makeKeyStore(
  scope: KeyScope, id: string, clusterId: string, overrides: Partial<Writable<CloudHsmKeyStore>> = {},
): CloudHsmKeyStore {
  return {
    accountId: scope.accountId,
    region: scope.region,
    id,
    name: `store-${id}`,
    type: 'AWS_CLOUDHSM',
    clusterId,
    trustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    wrappedPin: randomBytes(44),
    connectionState: 'DISCONNECTED',
    createdAt: T0,
    revision: 1,
    ...overrides,
  };
}

/** An external key store of `scope` whose proxy is at `uriEndpoint`. */
export function makeExternalKeyStore(
  scope: KeyScope, id: string, uriEndpoint: string, overrides: Partial<Writable<ExternalKeyStore>> = {},
): ExternalKeyStore {
  return {
    accountId: scope.accountId,
    region: scope.region,
    id,
    name: `store-${id}`,
    type: 'EXTERNAL_KEY_STORE',
    xksProxy: {
      uriEndpoint,
      uriPath: '/xks/kms/xks/v1',
      connectivity: 'PUBLIC_ENDPOINT',
      accessKeyId: 'ABCDEFGHIJKLMNOPQRSTUVWX',
      wrappedSecret: randomBytes(60),
    },
    connectionState: 'DISCONNECTED',
    createdAt: T0,
    revision: 1,
    ...overrides,
  };
}

/** A time `days` days after `T0`. */
export function daysAfterT0(days: number): number {
  return T0 + days * DAY;
}

/** Runs `body` with a fresh store and closes the store afterwards, whatever happens. */
export async function withFreshStore(open: OpenFreshStore, body: (store: Store) => Promise<void>): Promise<void> {
  const store = await open();
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

/** Every item of every page, following markers, with the page sizes seen. */
export async function collectPages<T>(
  listPage: (marker: string | undefined) => Promise<{ items: T[]; nextMarker?: string }>,
): Promise<{ items: T[]; pageSizes: number[] }> {
  const items: T[] = [];
  const pageSizes: number[] = [];
  let marker: string | undefined;
  do {
    const page = await listPage(marker);
    items.push(...page.items);
    pageSizes.push(page.items.length);
    marker = page.nextMarker;
  } while (marker !== undefined && pageSizes.length < 100);
  return { items, pageSizes };
}

/** A page request, with the marker only when there is one (`exactOptionalPropertyTypes`). */
export function pageRequest(limit: number, marker: string | undefined): { limit: number; marker?: string } {
  return marker === undefined ? { limit } : { limit, marker };
}

/** Markers no store issues: not base64url, empty, valid base64url of junk, of the wrong shape. */
export const FORGED_MARKERS: readonly string[] = [
  'not a marker!',
  '',
  Buffer.from('junk').toString('base64url'),
  Buffer.from('["keys"]').toString('base64url'),
  Buffer.from('{"after":"x"}').toString('base64url'),
];
