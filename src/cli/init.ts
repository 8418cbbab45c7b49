import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedDatabase } from '../server/config.js';
import { readRootOfTrustConfig, ROOT_OF_TRUST_OPTIONS } from '../server/root-of-trust/root-of-trust-config.js';

export const INIT_USAGE = `  init    Prepare a new PostgreSQL database for several nodes (docs/postgresql.md): the schema, the root key's
          check value, the first account and its administrator, whose credentials are printed once.
          --database-url URL       the database (STRONGROOM_DATABASE_URL); TLS options in the URL (sslmode=...)
          --root-key-file PATH     the root key every node shares; created (32 random bytes, mode 0600) when
                                   absent (STRONGROOM_ROOT_KEY_FILE), or instead
          --root-of-trust passphrase|pkcs11 with --passphrase-file FILE, or --pkcs11-module PATH
                                   --pkcs11-token-label LABEL --pkcs11-pin-file FILE (docs/roots-of-trust.md)
          --credentials-file FILE  also write the administrator's credentials there (AWS format, mode 0600)
          --region REGION          region written to the credentials file (default us-east-1)
`;

/**
 * `strongroom init --database-url URL --root-key-file PATH [--credentials-file FILE]`: prepares a shared database
 * once (`initialiseSharedDatabase`). Resolves with the exit code; a database already initialised is an error.
 *
 * @example
 *   await runInitCommand(['--database-url', url, '--root-key-file', '/etc/strongroom/root.key'], print);
 */
export async function runInitCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'database-url': { type: 'string' },
      'root-key-file': { type: 'string' },
      'credentials-file': { type: 'string' },
      region: { type: 'string' },
      ...ROOT_OF_TRUST_OPTIONS,
    },
    strict: true,
  });
  const database = sharedDatabase(values, process.env, false, readRootOfTrustConfig(values, process.env));
  if (database === undefined) throw new Error(`init needs --database-url (a data directory is prepared by its first start)\n\n${INIT_USAGE}`);
  // Loaded only here, as for `serve`: other commands never parse the PostgreSQL driver.
  const { initialiseSharedDatabase } = await import('../server/shared-database.js');
  const credentialsFile = values['credentials-file'];
  await initialiseSharedDatabase(database, {
    ...(credentialsFile !== undefined ? { credentialsPath: resolve(credentialsFile) } : {}),
    region: values.region ?? process.env['STRONGROOM_REGION'] ?? 'us-east-1',
    print,
  });
  return 0;
}
