import type { Store } from '../../src/store/store.js';

/** The store methods that change something, named `repository.method`. */
export type StoreWriteMethod =
  | 'keys.create' | 'keys.update' | 'keys.write' | 'keys.delete'
  | 'aliases.create' | 'aliases.update' | 'aliases.delete'
  | 'identities.createAccount' | 'identities.createAccessKey' | 'identities.deleteAccessKey' | 'identities.setAccessKeyStatus'
  | 'identities.deleteExpiredAccessKeys'
  | 'identities.createUser' | 'identities.deleteUser' | 'identities.createRole' | 'identities.deleteRole' | 'identities.setRoleTrustPolicy'
  | 'identities.putPolicy' | 'identities.deletePolicy'
  | 'grants.create' | 'grants.delete'
  | 'settings.put'
  | 'keyStores.registerCluster' | 'keyStores.removeCluster' | 'keyStores.create' | 'keyStores.update'
  | 'keyStores.delete';

/** The error a faulty store throws, so a test can tell an injected fault from a real one. */
export class InjectedStoreFault extends Error {
  readonly method: StoreWriteMethod;

  constructor(method: StoreWriteMethod) {
    super(`injected storage fault in ${method}`);
    this.name = 'InjectedStoreFault';
    this.method = method;
  }
}

export interface FaultOptions {
  /** Asked before every write; `true` makes that write fail. Count calls in it to fail the n-th write. */
  readonly failOn: (method: StoreWriteMethod) => boolean;
  /**
   * `'before'` (default): the write never reaches the store — a failed commit.
   * `'after'`: the write is stored, then the call fails anyway — a lost acknowledgement.
   */
  readonly when?: 'before' | 'after';
}

/**
 * Wraps a store so that chosen writes throw `InjectedStoreFault`, for tests of what callers do when storage
 * fails (roll back in-memory state, answer with an internal error, retry). Reads pass through untouched.
 *
 * @example
 *   let updates = 0;
 *   const store = withFaults(realStore, { failOn: (method) => method === 'keys.update' && ++updates === 2 });
 *   // the second key update rejects with InjectedStoreFault and stores nothing
 */
export function withFaults(store: Store, options: FaultOptions): Store {
  const failAfter = options.when === 'after';
  function guarded<A extends unknown[]>(method: StoreWriteMethod, write: (...args: A) => Promise<void>) {
    return async (...args: A): Promise<void> => {
      const fail = options.failOn(method);
      if (fail && !failAfter) throw new InjectedStoreFault(method);
      await write(...args);
      if (fail) throw new InjectedStoreFault(method);
    };
  }
  const { keys, aliases, identities, grants, settings, keyStores } = store;
  return {
    keys: {
      create: guarded('keys.create', (key, material) => keys.create(key, material)),
      get: (scope, keyId) => keys.get(scope, keyId),
      list: (scope, page) => keys.list(scope, page),
      listRelated: (accountId, keyId) => keys.listRelated(accountId, keyId),
      update: guarded('keys.update', (key, newMaterial?) => keys.update(key, newMaterial)),
      write: guarded('keys.write', (writes) => keys.write(writes)),
      delete: guarded('keys.delete', (scope, keyId) => keys.delete(scope, keyId)),
      getMaterial: (keyArn, materialId) => keys.getMaterial(keyArn, materialId),
      listMaterials: (keyArn) => keys.listMaterials(keyArn),
      listDue: (now) => keys.listDue(now),
      countByState: () => keys.countByState(),
    },
    aliases: {
      create: guarded('aliases.create', (alias) => aliases.create(alias)),
      get: (scope, name) => aliases.get(scope, name),
      update: guarded('aliases.update', (alias) => aliases.update(alias)),
      delete: guarded('aliases.delete', (scope, name) => aliases.delete(scope, name)),
      list: (scope, page) => aliases.list(scope, page),
    },
    identities: {
      createAccount: guarded('identities.createAccount', (account) => identities.createAccount(account)),
      getAccount: (accountId) => identities.getAccount(accountId),
      listAccounts: () => identities.listAccounts(),
      createAccessKey: guarded('identities.createAccessKey', (accessKey) => identities.createAccessKey(accessKey)),
      getAccessKey: (accessKeyId) => identities.getAccessKey(accessKeyId),
      listAccessKeys: (principalArn) => identities.listAccessKeys(principalArn),
      deleteAccessKey: guarded('identities.deleteAccessKey', (accessKeyId) => identities.deleteAccessKey(accessKeyId)),
      setAccessKeyStatus: guarded('identities.setAccessKeyStatus', (accessKeyId, status) => identities.setAccessKeyStatus(accessKeyId, status)),
      deleteExpiredAccessKeys: async (now) => {
        const fail = options.failOn('identities.deleteExpiredAccessKeys');
        if (fail && options.when !== 'after') throw new InjectedStoreFault('identities.deleteExpiredAccessKeys');
        const deleted = await identities.deleteExpiredAccessKeys(now);
        if (fail) throw new InjectedStoreFault('identities.deleteExpiredAccessKeys');
        return deleted;
      },
      createUser: guarded('identities.createUser', (user) => identities.createUser(user)),
      getUser: (accountId, userName) => identities.getUser(accountId, userName),
      listUsers: (accountId) => identities.listUsers(accountId),
      deleteUser: guarded('identities.deleteUser', (accountId, userName) => identities.deleteUser(accountId, userName)),
      createRole: guarded('identities.createRole', (role) => identities.createRole(role)),
      getRole: (accountId, roleName) => identities.getRole(accountId, roleName),
      listRoles: (accountId) => identities.listRoles(accountId),
      deleteRole: guarded('identities.deleteRole', (accountId, roleName) => identities.deleteRole(accountId, roleName)),
      setRoleTrustPolicy: guarded('identities.setRoleTrustPolicy', (accountId, roleName, trustPolicy) => identities.setRoleTrustPolicy(accountId, roleName, trustPolicy)),
      putPolicy: guarded('identities.putPolicy', (policy) => identities.putPolicy(policy)),
      getPolicy: (principalArn, policyName) => identities.getPolicy(principalArn, policyName),
      listPolicies: (principalArn) => identities.listPolicies(principalArn),
      deletePolicy: guarded('identities.deletePolicy', (principalArn, policyName) => identities.deletePolicy(principalArn, policyName)),
    },
    grants: {
      create: guarded('grants.create', (grant) => grants.create(grant)),
      get: (keyArn, grantId) => grants.get(keyArn, grantId),
      list: (keyArn, page) => grants.list(keyArn, page),
      listAll: (keyArn) => grants.listAll(keyArn),
      listRetirable: (principalArn, page) => grants.listRetirable(principalArn, page),
      findByTokenHash: (tokenHash) => grants.findByTokenHash(tokenHash),
      delete: guarded('grants.delete', (keyArn, grantId) => grants.delete(keyArn, grantId)),
    },
    settings: {
      get: (name) => settings.get(name),
      put: guarded('settings.put', (name, value) => settings.put(name, value)),
    },
    keyStores: {
      registerCluster: guarded('keyStores.registerCluster', (cluster) => keyStores.registerCluster(cluster)),
      getCluster: (clusterId) => keyStores.getCluster(clusterId),
      listClusters: () => keyStores.listClusters(),
      removeCluster: async (clusterId) => {
        const fail = options.failOn('keyStores.removeCluster');
        if (fail && !failAfter) throw new InjectedStoreFault('keyStores.removeCluster');
        const removed = await keyStores.removeCluster(clusterId);
        if (fail) throw new InjectedStoreFault('keyStores.removeCluster');
        return removed;
      },
      create: guarded('keyStores.create', (keyStore) => keyStores.create(keyStore)),
      get: (scope, id) => keyStores.get(scope, id),
      getByName: (scope, name) => keyStores.getByName(scope, name),
      list: (scope, page) => keyStores.list(scope, page),
      update: guarded('keyStores.update', (keyStore) => keyStores.update(keyStore)),
      delete: guarded('keyStores.delete', (scope, id) => keyStores.delete(scope, id)),
    },
    // XKS credentials pass through: no test injects faults into their writes yet.
    xksCredentials: store.xksCredentials,
    clearState: () => store.clearState(),
    onStateCleared: (listener) => store.onStateCleared(listener),
    catchUp: () => store.catchUp(),
    exclusively: (name, work) => store.exclusively(name, work),
    rewrapSecrets: (rewrap) => store.rewrapSecrets(rewrap),
    close: () => store.close(),
  };
}
