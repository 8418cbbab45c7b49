import type { ConnectionErrorCode, ConnectionState, CustomKeyStore, HsmCluster } from '../../keys/custom-key-store.js';

/** An `hsm_clusters` row as both backends return it. */
export interface HsmClusterRow {
  readonly cluster_id: string;
  readonly module_path: string;
  readonly token_label: string;
  readonly registered_at: number;
}

/** The columns of an `hsm_clusters` row, in `hsmClusterValues` order. */
export const HSM_CLUSTER_COLUMNS = 'cluster_id, module_path, token_label, registered_at';

export type HsmClusterValues = [string, string, string, number];

export function hsmClusterValues(cluster: HsmCluster): HsmClusterValues {
  return [cluster.clusterId, cluster.modulePath, cluster.tokenLabel, cluster.registeredAt];
}

export function hsmClusterFromRow(row: HsmClusterRow): HsmCluster {
  return {
    clusterId: row.cluster_id,
    modulePath: row.module_path,
    tokenLabel: row.token_label,
    registeredAt: row.registered_at,
  };
}

/** A `custom_key_stores` row as both backends return it (bytes as Buffers, absent values as null). */
export interface CustomKeyStoreRow {
  readonly id: string;
  readonly account_id: string;
  readonly region: string;
  readonly name: string;
  readonly type: string;
  readonly connection_state: string;
  readonly connection_error_code: string | null;
  readonly created_at: number;
  readonly revision: number;
  readonly cluster_id: string | null;
  readonly trust_anchor_certificate: string | null;
  readonly wrapped_pin: Buffer | null;
  readonly xks_uri_endpoint: string | null;
  readonly xks_uri_path: string | null;
  readonly xks_connectivity: string | null;
  readonly xks_access_key_id: string | null;
  readonly xks_wrapped_secret: Buffer | null;
}

/** The columns every update sets (`= ?` each, in `customKeyStoreUpdateValues` order): all but id, scope and creation. */
export const CUSTOM_KEY_STORE_UPDATED_COLUMNS = [
  'name', 'type', 'connection_state', 'connection_error_code', 'revision', 'cluster_id', 'trust_anchor_certificate',
  'wrapped_pin', 'xks_uri_endpoint', 'xks_uri_path', 'xks_connectivity', 'xks_access_key_id', 'xks_wrapped_secret',
] as const;

/** The columns of a `custom_key_stores` row, in `customKeyStoreValues` order. */
export const CUSTOM_KEY_STORE_COLUMNS = ['id', 'account_id', 'region', 'created_at', ...CUSTOM_KEY_STORE_UPDATED_COLUMNS].join(', ');

type MutableValues = [
  string, string, string, string | null, number, string | null, string | null, Buffer | null, string | null, string | null,
  string | null, string | null, Buffer | null,
];
export type CustomKeyStoreValues = [string, string, string, number, ...MutableValues];

/**
 * The values of an update (`UPDATE custom_key_stores SET <CUSTOM_KEY_STORE_UPDATED_COLUMNS> WHERE account_id, region,
 * id, revision`): every mutable column, then the row's scope and id, then the revision the update expects to replace
 * (the new one - 1).
 */
export type CustomKeyStoreUpdateValues = [...MutableValues, string, string, string, number];

export function customKeyStoreValues(store: CustomKeyStore): CustomKeyStoreValues {
  return [store.id, store.accountId, store.region, store.createdAt, ...mutableValues(store)];
}

export function customKeyStoreUpdateValues(store: CustomKeyStore): CustomKeyStoreUpdateValues {
  return [...mutableValues(store), store.accountId, store.region, store.id, store.revision - 1];
}

/** Each type's own columns are filled, the other type's null. */
function mutableValues(store: CustomKeyStore): MutableValues {
  const cloudHsm = store.type === 'AWS_CLOUDHSM' ? store : undefined;
  const xks = store.type === 'EXTERNAL_KEY_STORE' ? store.xksProxy : undefined;
  return [
    store.name,
    store.type,
    store.connectionState,
    store.connectionErrorCode ?? null,
    store.revision,
    cloudHsm?.clusterId ?? null,
    cloudHsm?.trustAnchorCertificate ?? null,
    cloudHsm?.wrappedPin ?? null,
    xks?.uriEndpoint ?? null,
    xks?.uriPath ?? null,
    xks?.connectivity ?? null,
    xks?.accessKeyId ?? null,
    xks?.wrappedSecret ?? null,
  ];
}

/** The store a row holds; a null error code comes back absent. */
export function customKeyStoreFromRow(row: CustomKeyStoreRow): CustomKeyStore {
  const common = {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    connectionState: row.connection_state as ConnectionState,
    ...(row.connection_error_code === null ? {} : { connectionErrorCode: row.connection_error_code as ConnectionErrorCode }),
    createdAt: row.created_at,
    revision: row.revision,
  };
  if (row.type === 'EXTERNAL_KEY_STORE') {
    return {
      ...common,
      type: 'EXTERNAL_KEY_STORE',
      xksProxy: {
        uriEndpoint: required(row.xks_uri_endpoint, row),
        uriPath: required(row.xks_uri_path, row),
        connectivity: required(row.xks_connectivity, row) as 'PUBLIC_ENDPOINT',
        accessKeyId: required(row.xks_access_key_id, row),
        wrappedSecret: required(row.xks_wrapped_secret, row),
      },
    };
  }
  return {
    ...common,
    type: 'AWS_CLOUDHSM',
    clusterId: required(row.cluster_id, row),
    trustAnchorCertificate: required(row.trust_anchor_certificate, row),
    wrappedPin: required(row.wrapped_pin, row),
  };
}

function required<T>(value: T | null, row: CustomKeyStoreRow): T {
  if (value === null) throw new Error(`custom key store ${row.id} (${row.type}) lacks a column its type needs`);
  return value;
}
