import type { CloudHsmKeyStore, HsmCluster } from '../../keys/custom-key-store.js';
import { openPkcs11Token, type Pkcs11Token, type Pkcs11TokenOptions } from '../../hsm/pkcs11-token.js';

/** Opens a logged-in session on a token; `openPkcs11Token`, replaced in tests that count sessions. */
export type TokenOpener = (options: Pkcs11TokenOptions) => Promise<Pkcs11Token>;

/** How a process finds what it needs to open a store's session on its own: the cluster and the PIN. */
export interface StoreCredentials {
  cluster(store: CloudHsmKeyStore): Promise<HsmCluster | undefined>;
  pin(store: CloudHsmKeyStore): string;
}

interface Session {
  readonly clusterId: string;
  readonly token: Promise<Pkcs11Token>;
}

/**
 * This process's sessions with the tokens of custom key stores, one per store (ADR 0022, Decision 3). The
 * connection state is the store's row, shared by every process and node; a session is this process's own. The
 * process that answers ConnectCustomKeyStore opens one with the PIN it was given; every other process opens its
 * own the first time a request needs a connected store, with the stored PIN; a process that sees the store not
 * connected, or whose session fails, closes its session (the next request opens a fresh one).
 */
export class KeyStoreTokens {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly open: TokenOpener = openPkcs11Token) {}

  /**
   * A fresh session on `cluster`'s token with `pin`, replacing any this process had for the store
   * (ConnectCustomKeyStore). Throws `Pkcs11Error` when the token cannot be opened or the PIN is refused.
   */
  async connect(store: CloudHsmKeyStore, cluster: HsmCluster, pin: string): Promise<Pkcs11Token> {
    this.close(store.id);
    const token = this.open({ modulePath: cluster.modulePath, tokenLabel: cluster.tokenLabel, pin });
    this.#sessions.set(store.id, { clusterId: cluster.clusterId, token });
    try {
      return await token;
    } catch (error) {
      this.#forget(store.id, token);
      throw error;
    }
  }

  /**
   * The session of a connected store: this process's, or one opened now with the stored PIN (once, however many
   * requests ask meanwhile). A session with another cluster than the store names now (the store was updated while
   * disconnected) is replaced. Throws `Pkcs11Error`, or an `Error` when the store's cluster is not registered.
   */
  async sessionFor(store: CloudHsmKeyStore, credentials: StoreCredentials): Promise<Pkcs11Token> {
    const session = this.#sessions.get(store.id);
    if (session !== undefined && session.clusterId === store.clusterId) return session.token;
    this.close(store.id);
    const token = this.#openWithStoredPin(store, credentials);
    this.#sessions.set(store.id, { clusterId: store.clusterId, token });
    try {
      return await token;
    } catch (error) {
      this.#forget(store.id, token);
      throw error;
    }
  }

  /** Whether this process has a session (open or opening) for the store. */
  has(storeId: string): boolean {
    return this.#sessions.has(storeId);
  }

  /** Closes this process's session with the store's token, if it has one. */
  close(storeId: string): void {
    const session = this.#sessions.get(storeId);
    if (session === undefined) return;
    this.#sessions.delete(storeId);
    session.token.then((token) => token.close(), () => {});
  }

  closeAll(): void {
    for (const storeId of [...this.#sessions.keys()]) this.close(storeId);
  }

  async #openWithStoredPin(store: CloudHsmKeyStore, credentials: StoreCredentials): Promise<Pkcs11Token> {
    const cluster = await credentials.cluster(store);
    if (cluster === undefined) throw new Error(`HSM cluster ${store.clusterId} of custom key store ${store.id} is not registered`);
    return this.open({ modulePath: cluster.modulePath, tokenLabel: cluster.tokenLabel, pin: credentials.pin(store) });
  }

  /** Drops a session that failed to open, unless another has replaced it meanwhile. */
  #forget(storeId: string, token: Promise<Pkcs11Token>): void {
    if (this.#sessions.get(storeId)?.token === token) this.#sessions.delete(storeId);
  }
}
