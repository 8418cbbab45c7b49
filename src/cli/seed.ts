import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKeyPairGenerator } from '../crypto/key-generation/key-pair-generator.js';
import { MaterialCache } from '../keys/material-cache.js';
import { PrivateKeyCache } from '../service/private-key-cache.js';
import { applySeed, describeSeedOutcome } from '../service/seeding/apply-seed.js';
import { readSeedFile } from '../service/seeding/parse-seed-file.js';
import { KeyStoreTokens } from '../service/custom-key-stores/key-store-tokens.js';
import { XksClient } from '../xks/xks-client.js';
import { defaultIdSources, type ServiceDependencies } from '../service/services.js';
import { openStorageSession, STORAGE_OPTIONS, STORAGE_USAGE, type StorageSession } from './storage-session.js';

export const SEED_USAGE = `  seed FILE         Apply a seed file (YAML, or JSON): accounts with their access keys, keys with fixed ids,
                    key material, aliases, tags, policies (docs/seeding.md). Applying it twice changes
                    nothing; a file that is wrong, or disagrees with the data directory, changes nothing.
${STORAGE_USAGE}          --check          only read and check the file (the store is not opened); servers may be running
`;

/**
 * `strongroom seed FILE`: what `serve --seed FILE` does at start, on a data directory directly — also while a
 * server runs on it (SQLite serializes the writes; the server sees new keys and access keys on its next request).
 */
export async function runSeedCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...STORAGE_OPTIONS, check: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new Error('usage: strongroom seed FILE [--data-dir DIR] [--check]');
  const seed = await readSeedFile(resolve(file));
  try {
    if (values.check) {
      print(`${seed.source} is a valid seed file: ${seed.accounts.length} account(s), ${seed.keys.length} key(s)\n`);
      return 0;
    }
    const session = await openStorageSession(values);
    const deps = sessionServices(session);
    try {
      print(describeSeedOutcome(seed.source, await applySeed(deps, seed)));
      return 0;
    } finally {
      await deps.keyPairs.close();
      await session.close();
    }
  } finally {
    seed.wipe();
  }
}

/** The services seeding needs over a data directory opened by the CLI (no pool of RSA keys made ahead). */
function sessionServices(session: StorageSession): ServiceDependencies {
  return {
    store: session.store,
    rootKey: session.iam.rootKey,
    materials: new MaterialCache(),
    privateKeys: new PrivateKeyCache(),
    // Seeds make no keys in custom key stores: no session is ever opened.
    keyStoreTokens: new KeyStoreTokens(),
    xksClient: new XksClient(),
    keyPairs: createKeyPairGenerator({ rsaPoolSizePerSpec: 0 }),
    now: Date.now,
    ...defaultIdSources(),
  };
}
