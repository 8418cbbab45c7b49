import type {
  ConnectionErrorCode, ConnectionState, CustomKeyStore, CustomKeyStoreType, HsmCluster,
} from '../../keys/custom-key-store.js';

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
  readonly cluster_id: string;
  readonly trust_anchor_certificate: string;
  readonly wrapped_pin: Buffer;
  readonly connection_state: string;
  readonly connection_error_code: string | null;
  readonly created_at: number;
  readonly revision: number;
}

/** The columns of a `custom_key_stores` row, in `customKeyStoreValues` order. */
export const CUSTOM_KEY_STORE_COLUMNS =
  'id, account_id, region, name, type, cluster_id, trust_anchor_certificate, wrapped_pin, connection_state, ' +
  'connection_error_code, created_at, revision';

export type CustomKeyStoreValues = [
  string, string, string, string, string, string, string, Buffer, string, string | null, number, number,
];

export function customKeyStoreValues(store: CustomKeyStore): CustomKeyStoreValues {
  return [
    store.id,
    store.accountId,
    store.region,
    store.name,
    store.type,
    store.clusterId,
    store.trustAnchorCertificate,
    store.wrappedPin,
    store.connectionState,
    store.connectionErrorCode ?? null,
    store.createdAt,
    store.revision,
  ];
}

/**
 * The values of an update (`UPDATE custom_key_stores SET <CUSTOM_KEY_STORE_UPDATED_COLUMNS> WHERE account_id, region,
 * id, revision`): every mutable column, then the row's scope and id, then the revision the update expects to replace
 * (the new one - 1). The id, scope and creation time never change.
 */
export type CustomKeyStoreUpdateValues = [
  string, string, string, string, Buffer, string, string | null, number, string, string, string, number,
];

/** The columns an update sets, each `= ?`, in `customKeyStoreUpdateValues` order. */
export const CUSTOM_KEY_STORE_UPDATED_COLUMNS = [
  'name', 'type', 'cluster_id', 'trust_anchor_certificate', 'wrapped_pin', 'connection_state', 'connection_error_code',
  'revision',
] as const;

export function customKeyStoreUpdateValues(store: CustomKeyStore): CustomKeyStoreUpdateValues {
  return [
    store.name,
    store.type,
    store.clusterId,
    store.trustAnchorCertificate,
    store.wrappedPin,
    store.connectionState,
    store.connectionErrorCode ?? null,
    store.revision,
    store.accountId,
    store.region,
    store.id,
    store.revision - 1,
  ];
}

/** The store a row holds; a null error code comes back absent. */
export function customKeyStoreFromRow(row: CustomKeyStoreRow): CustomKeyStore {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    type: row.type as CustomKeyStoreType,
    clusterId: row.cluster_id,
    trustAnchorCertificate: row.trust_anchor_certificate,
    wrappedPin: row.wrapped_pin,
    connectionState: row.connection_state as ConnectionState,
    ...(row.connection_error_code === null ? {} : { connectionErrorCode: row.connection_error_code as ConnectionErrorCode }),
    createdAt: row.created_at,
    revision: row.revision,
  };
}
