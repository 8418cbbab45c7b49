#!/usr/bin/env node
// A command's code is imported when it runs (`import()`): the server's, the administrative commands' (commands.ts)
// and the file commands'. Every serving process pays at each start for what it loads, and `serve` with workers
// starts them before it loads anything itself (serveCommand).
import cluster from 'node:cluster';
import { readServerConfig } from '../server/config.js';
import { forkServingWorkers } from '../server/serving-workers.js';
import { commandOutput, OutputError, printSync, type CommandOutput } from './command-output.js';
import { FILE_ENCRYPTION_USAGE } from './file-encryption/file-encryption-usage.js';

/** The usage text (the administrative commands' part is theirs: commands.ts). */
async function usage(): Promise<string> {
  const { COMMANDS_USAGE } = await import('./commands.js');
  return `Usage: strongroom <command> [options]

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
          --metrics-port PORT        serve /metrics, /healthz and /readyz on this port (same host) instead of the
                                     API port (STRONGROOM_METRICS_PORT; docs/observability.md)
          --no-metrics               record and serve no metrics (only to measure their cost)
          --log-format json|text     one JSON object or one readable line per event (default json; STRONGROOM_LOG_FORMAT)
          --xks-proxy                also serve the XKS proxy API, for AWS KMS external key stores
                                     (STRONGROOM_XKS_PROXY=1; docs/xks-proxy.md), with:
          --xks-uri-prefix PREFIX    its path prefix (default /xks: calls under /xks/kms/xks/v1; STRONGROOM_XKS_URI_PREFIX)
          --xks-client-ca FILE       mutual TLS: XKS calls need a client certificate chained to this CA
                                     (STRONGROOM_XKS_CLIENT_CA), and with --xks-client-subject NAME that common name
${COMMANDS_USAGE}${FILE_ENCRYPTION_USAGE}`;
}

/** The exit code when the reader of the output went away: a Unix tool killed by SIGPIPE exits so (128 + 13). */
const EXIT_READER_GONE = 141;

/**
 * Standard output as a Node stream, opened by the first command that prints (never by `serve`, which prints
 * with `printSync`: opening it turns a pipe non-blocking for every process sharing it).
 */
let output: CommandOutput | undefined;
const stdout = (): CommandOutput => (output ??= commandOutput(process.stdout));

/**
 * `serve`. With workers, the primary forks them first, before it loads the server's code: each worker then starts
 * Node and loads the bundle while the primary does the same and sets the node up, instead of after it
 * (serving-workers.ts: they open nothing until the primary's set-up is done). If the start fails, they are stopped.
 */
async function serveCommand(args: readonly string[]): Promise<void> {
  const config = readServerConfig(args);
  const workers = cluster.isPrimary && config.workers > 1 ? forkServingWorkers(config.workers) : undefined;
  try {
    const { serve } = await import('../server/serve.js');
    await serve(config, (text) => printSync(1, text), workers);
  } catch (error) {
    await workers?.abort();
    throw error;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      await serveCommand(args);
      return 0;
    case 'encrypt-file':
    case 'decrypt-file': {
      // The Encryption SDK alone would add a third of a second and 30 MB to every other command.
      const { processFileEncryptionIo, runFileEncryptionCommand } = await import('./file-encryption/file-encryption-command.js');
      return runFileEncryptionCommand(command, args, processFileEncryptionIo((text) => stdout().write(text)));
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      stdout().write(await usage());
      return command === undefined ? 1 : 0;
    default: {
      const { COMMANDS } = await import('./commands.js');
      const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
      if (run !== undefined) return run(args, stdout());
      process.stderr.write(`strongroom: unknown command '${command}'\n\n${await usage()}`);
      return 2;
    }
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
