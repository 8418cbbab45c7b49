import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pkcs11Error } from '../hsm/pkcs11-errors.js';
import { findPkcs11Token } from '../hsm/pkcs11-token-lookup.js';
import { isClusterId, type HsmCluster } from '../keys/custom-key-store.js';
import { pathExists } from '../server/path-exists.js';
import { DuplicateError, InUseError } from '../store/store.js';
import { STORAGE_OPTIONS, STORAGE_USAGE, type StorageFlags, type StorageSession } from './storage-session.js';
import { parsingFlags, refuseFlags, runSubcommand, unknownSubcommand, UsageError, withStorageSession } from './subcommands.js';

export const HSM_USAGE = `  hsm register      Register an HSM cluster for custom key stores (AWS_CLOUDHSM; docs/adr/0022): a PKCS#11
                    token, proved to exist (found by its label, without logging in) before it is stored.
          --cluster-id ID           cluster- and 11 to 16 characters of [2-7a-zA-Z], as AWS's cluster ids
          --module PATH             the token's PKCS#11 library (stored as an absolute path)
          --token-label LABEL       the token's label
  hsm list          List the registered clusters: id, token label, module, registration time (tab-separated).
  hsm remove        Remove a registered cluster no custom key store uses.   --cluster-id ID
${STORAGE_USAGE}`;

const OPTIONS = {
  ...STORAGE_OPTIONS,
  'cluster-id': { type: 'string' },
  module: { type: 'string' },
  'token-label': { type: 'string' },
} as const;

type HsmFlags = StorageFlags & { readonly 'cluster-id'?: string; readonly module?: string; readonly 'token-label'?: string };

/**
 * `strongroom hsm register|list|remove`: the operator's registry of HSM clusters, the PKCS#11 tokens that custom
 * key stores of type AWS_CLOUDHSM name (ADR 0022, Decision 1). The module path is the operator's choice, made here,
 * never an API caller's. Resolves with the exit code: 0, 2 for a usage error (printed on standard error); any other
 * failure (no such module or token, a duplicate, a cluster in use) rejects, and the CLI prints it and exits 1.
 *
 * @example
 *   await runHsmCommand(['register', '--cluster-id', 'cluster-234567abcdef', '--module', so, '--token-label', 'hsm1'], print);
 */
export async function runHsmCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  return runSubcommand(HSM_USAGE, args, print, async (subcommand, rest) => {
    const flags = parsingFlags(() => parseArgs({ args: [...rest], options: OPTIONS, strict: true }).values);
    switch (subcommand) {
      case 'register':
        return register(flags, print);
      case 'list':
        refuseFlags('hsm', subcommand, flags, ['cluster-id', 'module', 'token-label']);
        return withStorageSession(flags, (session) => list(session, print));
      case 'remove': {
        refuseFlags('hsm', subcommand, flags, ['module', 'token-label']);
        const clusterId = requireClusterId(flags['cluster-id']);
        return withStorageSession(flags, (session) => remove(session, clusterId, print));
      }
      default:
        throw unknownSubcommand('hsm', subcommand, ['register', 'list', 'remove']);
    }
  });
}

/**
 * Proves the token before anything is opened or written (a first use of a data directory would create it), then
 * stores the cluster.
 */
async function register(flags: HsmFlags, print: (text: string) => void): Promise<number> {
  const clusterId = requireClusterId(flags['cluster-id']);
  // Absolute, but not through symlinks: a distribution's stable link to its module survives the module's upgrades.
  const modulePath = resolve(required(flags.module, '--module'));
  const tokenLabel = required(flags['token-label'], '--token-label');
  await requireModuleFile(modulePath);
  const { serialNumber } = await findPkcs11Token(modulePath, tokenLabel);
  const cluster: HsmCluster = { clusterId, modulePath, tokenLabel, registeredAt: Date.now() };
  return withStorageSession(flags, async ({ store }) => {
    try {
      await store.keyStores.registerCluster(cluster);
    } catch (error) {
      if (error instanceof DuplicateError) throw new Error(`cluster ${clusterId} is registered already ('strongroom hsm list' shows it)`);
      throw error;
    }
    print(`Registered cluster ${clusterId}: token "${tokenLabel}" (serial number ${serialNumber}) in ${modulePath}\n`);
    return 0;
  });
}

async function list(session: StorageSession, print: (text: string) => void): Promise<number> {
  for (const cluster of await session.store.keyStores.listClusters()) {
    print(`${cluster.clusterId}\t${cluster.tokenLabel}\t${cluster.modulePath}\t${new Date(cluster.registeredAt).toISOString()}\n`);
  }
  return 0;
}

async function remove(session: StorageSession, clusterId: string, print: (text: string) => void): Promise<number> {
  let removed: boolean;
  try {
    removed = await session.store.keyStores.removeCluster(clusterId);
  } catch (error) {
    if (error instanceof InUseError) throw new Error(`cluster ${clusterId} is used by a custom key store; delete the store first`);
    throw error;
  }
  if (!removed) throw new Error(`no cluster ${clusterId} is registered`);
  print(`Removed cluster ${clusterId}.\n`);
  return 0;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  return value;
}

function requireClusterId(value: string | undefined): string {
  const clusterId = required(value, '--cluster-id');
  if (!isClusterId(clusterId)) {
    throw new UsageError(`invalid cluster id '${clusterId}': cluster- and 11 to 16 characters of [2-7a-zA-Z] (e.g. cluster-234567abcdef)`);
  }
  return clusterId;
}

/** The module must be a file; anything else fails as the module layer fails for a path it cannot load. */
async function requireModuleFile(modulePath: string): Promise<void> {
  if (!(await pathExists(modulePath))) throw new Pkcs11Error('MODULE_NOT_FOUND', `no PKCS#11 module at ${modulePath}`);
  if (!(await stat(modulePath)).isFile()) {
    throw new Pkcs11Error('MODULE_NOT_FOUND', `${modulePath} is not a file: a PKCS#11 module is a shared library`);
  }
}
