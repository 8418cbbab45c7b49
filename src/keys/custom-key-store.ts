import type { KeyScope, KmsKey } from './key.js';
import type { KeyState } from './key-state.js';

/**
 * Domain types of custom key stores (ADR 0022): a store of type `AWS_CLOUDHSM` is a row naming an HSM "cluster"
 * the operator registered (`strongroom hsm register`), which is a PKCS#11 token; its keys are AES-256 key objects
 * in that token. Times are epoch milliseconds.
 */

export type CustomKeyStoreType = 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';

/** AWS's `ConnectionStateType`, verbatim. */
export type ConnectionState = 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'DISCONNECTING' | 'FAILED';

/** AWS's `ConnectionErrorCodeType` values a store can have here (CloudHSM's, then external key stores'). */
export type ConnectionErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'CLUSTER_NOT_FOUND'
  | 'NETWORK_ERRORS'
  | 'INTERNAL_ERROR'
  | 'USER_LOCKED_OUT'
  | 'USER_NOT_FOUND'
  | 'USER_LOGGED_IN'
  | 'XKS_PROXY_ACCESS_DENIED'
  | 'XKS_PROXY_NOT_REACHABLE'
  | 'XKS_PROXY_INVALID_RESPONSE'
  | 'XKS_PROXY_INVALID_CONFIGURATION'
  | 'XKS_PROXY_TIMED_OUT'
  | 'XKS_PROXY_INVALID_TLS_CONFIGURATION';

/**
 * An HSM cluster as the operator registered it: a PKCS#11 module and the label of one token in it. The module
 * path is the operator's choice, never a caller's: the API cannot make the server load a library.
 */
export interface HsmCluster {
  /** `cluster-` and 11–16 characters of `[2-7a-zA-Z]`, AWS's `CloudHsmClusterIdType`. */
  readonly clusterId: string;
  readonly modulePath: string;
  readonly tokenLabel: string;
  readonly registeredAt: number;
}

/** What every custom key store has, whatever its type. */
interface CustomKeyStoreBase extends KeyScope {
  /** `cks-` and 17 hex digits. */
  readonly id: string;
  /** Unique within the account and region. */
  readonly name: string;
  readonly connectionState: ConnectionState;
  /** Present only while `FAILED`. */
  readonly connectionErrorCode?: ConnectionErrorCode;
  readonly createdAt: number;
  /** Increases with every stored change; guards concurrent updates as a key's revision does. */
  readonly revision: number;
}

/** A store of type AWS_CLOUDHSM: its keys are objects in a registered PKCS#11 token (ADR 0022). */
export interface CloudHsmKeyStore extends CustomKeyStoreBase {
  readonly type: 'AWS_CLOUDHSM';
  /** The registered cluster (one store per cluster). */
  readonly clusterId: string;
  /** The PEM certificate given at creation, validated and returned as given. */
  readonly trustAnchorCertificate: string;
  /**
   * `KeyStorePassword`, the PIN of the token's user (AWS's `kmsuser`), wrapped by the root of trust with the store's
   * id in the AAD (`custom-key-stores/key-store-pin.ts`). Never returned by any API.
   */
  readonly wrappedPin: Buffer;
}

/** How a store of type EXTERNAL_KEY_STORE reaches its XKS proxy (ADR 0023). */
export interface XksProxyConfiguration {
  /** `https://host[:port]`. */
  readonly uriEndpoint: string;
  /** `[/prefix]/kms/xks/v1`. */
  readonly uriPath: string;
  readonly connectivity: 'PUBLIC_ENDPOINT';
  /** The credential's access key id (returned by DescribeCustomKeyStores, as at AWS). */
  readonly accessKeyId: string;
  /** Its secret, wrapped by the root of trust with the store's id in the AAD. Never returned. */
  readonly wrappedSecret: Buffer;
}

/** A store of type EXTERNAL_KEY_STORE: its keys' outer layer is made by an external key manager through a proxy. */
export interface ExternalKeyStore extends CustomKeyStoreBase {
  readonly type: 'EXTERNAL_KEY_STORE';
  readonly xksProxy: XksProxyConfiguration;
}

/** A custom key store of one account and region. */
export type CustomKeyStore = CloudHsmKeyStore | ExternalKeyStore;

const CLUSTER_ID = /^cluster-[2-7a-zA-Z]{11,16}$/;

/** Whether `text` has the form AWS gives a CloudHSM cluster id. */
export function isClusterId(text: string): boolean {
  return CLUSTER_ID.test(text);
}

/**
 * The state a caller sees for a key: a key in a custom key store that is not connected is `Unavailable` (its
 * stored state comes back on reconnection), except while `PendingDeletion`, so that a deletion can be cancelled
 * without reconnecting — as AWS's "How to fix unavailable KMS keys" describes.
 */
export function presentedKeyState(key: KmsKey, store: CustomKeyStore | undefined): KeyState {
  if (store === undefined || store.connectionState === 'CONNECTED') return key.state;
  return key.state === 'PendingDeletion' ? key.state : 'Unavailable';
}
