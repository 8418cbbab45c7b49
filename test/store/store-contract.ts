import { describe } from 'node:test';
import { aliasContract } from './contract/alias-contract.js';
import { clearStateContract } from './contract/clear-state-contract.js';
import { customKeyStoreContract } from './contract/custom-key-store-contract.js';
import { durabilityContract } from './contract/durability-contract.js';
import type { OpenFreshStore, ReopenStore } from './contract/fixtures.js';
import { grantContract } from './contract/grants.js';
import { iamPrincipalContract } from './contract/iam-principal-contract.js';
import { identityContract } from './contract/identity-contract.js';
import { keyContract } from './contract/key-contract.js';
import { keyLifecycleContract } from './contract/key-lifecycle-contract.js';
import { relatedKeysContract } from './contract/related-keys-contract.js';
import { rewrapContract } from './contract/rewrap-contract.js';
import { sharingContract } from './contract/sharing-contract.js';
import { xksCredentialContract } from './contract/xks-credential-contract.js';

export type { OpenFreshStore, ReopenStore } from './contract/fixtures.js';

/**
 * The storage contract: everything `Store` promises, backend-independent. Every backend's test file runs
 * it; a backend passes when all of it does. Each test opens a fresh store and closes it.
 *
 * @param name what the suite is called in the report, e.g. `'SQLite'`
 * @param openFreshStore opens a store no other test has touched (a new file, a new schema, ...)
 * @param reopenStore opens the same storage as the given store again: after it was closed (a restart, for the
 *   durability test), or beside it while it is open (another process or node, for the sharing test)
 *
 * @example
 *   runStoreContract('SQLite', () => openSqliteStore({ path: freshPath() }), (closed) => reopen(closed));
 */
export function runStoreContract(name: string, openFreshStore: OpenFreshStore, reopenStore: ReopenStore): void {
  describe(`${name} store contract`, () => {
    keyContract(openFreshStore);
    keyLifecycleContract(openFreshStore);
    relatedKeysContract(openFreshStore);
    customKeyStoreContract(openFreshStore, reopenStore);
    aliasContract(openFreshStore);
    identityContract(openFreshStore);
    grantContract(openFreshStore);
    iamPrincipalContract(openFreshStore);
    durabilityContract(openFreshStore, reopenStore);
    sharingContract(openFreshStore, reopenStore);
    clearStateContract(openFreshStore);
    rewrapContract(openFreshStore);
    xksCredentialContract(openFreshStore, reopenStore);
  });
}
