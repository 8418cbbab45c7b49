#!/usr/bin/env node
import { readServerConfig } from '../server/config.js';
import { serve } from '../server/serve.js';
import { ACCOUNTS_USAGE, runAccountsCommand } from './accounts.js';
import { runAuditCommand } from './audit/audit-command.js';
import { AUTHZ_USAGE, runAuthzCommand } from './authz.js';
import { commandOutput, OutputError, printSync, type CommandOutput } from './command-output.js';
import { FILE_ENCRYPTION_USAGE } from './file-encryption/file-encryption-usage.js';
import { HSM_USAGE, runHsmCommand } from './hsm.js';
import { IAM_USAGE, runIamCommand } from './iam.js';
import { INIT_USAGE, runInitCommand } from './init.js';
import { REWRAP_USAGE, runRewrapCommand } from './rewrap.js';
import { runSeedCommand, SEED_USAGE } from './seed.js';
import { runXksCommand, XKS_USAGE } from './xks.js';

const USAGE = `Usage: strongroom <command> [options]

Commands:
  serve   Serve the AWS KMS API.
          --host HOST            address to bind (default 127.0.0.1; STRONGROOM_HOST)
          --port PORT            port (default 4599; STRONGROOM_PORT)
          --data-dir DIR         data directory (default ./data; STRONGROOM_DATA_DIR)
          --database-url URL     a PostgreSQL database shared with other nodes, prepared by 'init', in place of
                                 the data directory (STRONGROOM_DATABASE_URL; docs/postgresql.md)
          --root-key-file PATH   with --database-url: the root key every node shares (STRONGROOM_ROOT_KEY_FILE)
          --root-of-trust file|passphrase|pkcs11   what wraps every stored secret (default file; docs/roots-of-trust.md):
                                 --passphrase-file FILE (else a prompt), or --pkcs11-module PATH
                                 --pkcs11-token-label LABEL --pkcs11-pin-file FILE (STRONGROOM_ROOT_OF_TRUST, ...)
          --workers N            serving processes (default: one per CPU; STRONGROOM_WORKERS)
          --dev                  also accept test/test for the development account (STRONGROOM_DEV=1)
          --dev-account-id ID    the development account (default 000000000000; STRONGROOM_DEV_ACCOUNT_ID)
          --dev-any-credentials  development mode on loopback: accept any access key id unverified, as
                                 LocalStack does (STRONGROOM_DEV_ANY_CREDENTIALS=1)
          --ephemeral            everything in memory, nothing written, one process, development mode
                                 (STRONGROOM_EPHEMERAL=1; for test suites)
          --region REGION        region written to the credentials file (default us-east-1)
          --tls-cert FILE --tls-key FILE   serve HTTPS with this certificate and key (STRONGROOM_TLS_CERT/_KEY)
          --tls-self-signed      serve HTTPS with a certificate generated into the data directory
          --audit-retention-days N   remove sealed audit records older than N days (default: keep all)
          --audit-archive-dir DIR    archive them there first (default <data-dir>/audit-archive; 'none')
          --audit-stream FILE|-      also stream every audit record as JSON Lines to FILE or stdout
          --audit-journal-file-size SIZE  each preallocated audit journal file (default 8m; 64k to 1024m)
          --no-audit                 record no audit trail (only to measure its cost; never in production)
          --seed FILE                apply a seed file before serving; a wrong one starts nothing (STRONGROOM_SEED)
          --quotas aws|off|FILE      AWS's request quotas, off, or AWS's with a file's overrides (default aws;
                                     off with --dev; STRONGROOM_QUOTAS)
          --xks-proxy                also serve the XKS proxy API, for AWS KMS external key stores
                                     (STRONGROOM_XKS_PROXY=1; docs/xks-proxy.md), with:
          --xks-uri-prefix PREFIX    its path prefix (default /xks: calls under /xks/kms/xks/v1; STRONGROOM_XKS_URI_PREFIX)
          --xks-client-ca FILE       mutual TLS: XKS calls need a client certificate chained to this CA
                                     (STRONGROOM_XKS_CLIENT_CA), and with --xks-client-subject NAME that common name
${INIT_USAGE}${REWRAP_USAGE}  audit   Read and verify the audit trail: tail | query | export | verify | public-key (see 'strongroom audit help').
${ACCOUNTS_USAGE}${SEED_USAGE}${IAM_USAGE}${AUTHZ_USAGE}${HSM_USAGE}${XKS_USAGE}${FILE_ENCRYPTION_USAGE}`;

/** The exit code when the reader of the output went away: a Unix tool killed by SIGPIPE exits so (128 + 13). */
const EXIT_READER_GONE = 141;

/**
 * Standard output as a Node stream, opened by the first command that prints (never by `serve`, which prints
 * with `printSync`: opening it turns a pipe non-blocking for every process sharing it).
 */
let output: CommandOutput | undefined;
const stdout = (): CommandOutput => (output ??= commandOutput(process.stdout));

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      await serve(readServerConfig(args), (text) => printSync(1, text));
      return 0;
    case 'init':
      return runInitCommand(args, stdout().write);
    case 'rewrap':
      return runRewrapCommand(args, stdout().write);
    case 'audit':
      return runAuditCommand(args, stdout().print);
    case 'accounts':
      return runAccountsCommand(args, stdout().write);
    case 'iam':
      return runIamCommand(args, stdout().write);
    case 'seed':
      return runSeedCommand(args, stdout().write);
    case 'authz':
      return runAuthzCommand(args, stdout().write);
    case 'hsm':
      return runHsmCommand(args, stdout().write);
    case 'xks':
      return runXksCommand(args, stdout().write);
    case 'encrypt-file':
    case 'decrypt-file': {
      // Imported only now: the Encryption SDK would add a third of a second and 30 MB to every other command.
      const { processFileEncryptionIo, runFileEncryptionCommand } = await import('./file-encryption/file-encryption-command.js');
      return runFileEncryptionCommand(command, args, processFileEncryptionIo((text) => stdout().write(text)));
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      stdout().write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`strongroom: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

/**
 * Runs the command and exits with its code once everything it printed is written: `process.exit` discards
 * what a pipe has not taken yet. A failed write is an error of the command (non-zero, on stderr), except that a
 * reader who went away (EPIPE) ends it quietly, as it ends other Unix tools.
 */
async function runToExit(argv: readonly string[]): Promise<never> {
  let code: number;
  try {
    code = await main(argv);
    await output?.flush();
  } catch (error) {
    code = reportFailure(error);
    await output?.flush().catch(() => undefined); // what was printed before the failure, if it still can be
  }
  process.exit(code);
}

function reportFailure(error: unknown): number {
  if (error instanceof OutputError && error.readerGone) return EXIT_READER_GONE;
  process.stderr.write(`strongroom: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

void runToExit(process.argv.slice(2));
