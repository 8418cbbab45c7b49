#!/usr/bin/env node
import { readServerConfig } from '../server/config.js';
import { serve } from '../server/serve.js';
import { ACCOUNTS_USAGE, runAccountsCommand } from './accounts.js';
import { runAuditCommand } from './audit/audit-command.js';
import { AUTHZ_USAGE, runAuthzCommand } from './authz.js';
import { IAM_USAGE, runIamCommand } from './iam.js';

const USAGE = `Usage: strongroom <command> [options]

Commands:
  serve   Serve the AWS KMS API.
          --host HOST            address to bind (default 127.0.0.1; STRONGROOM_HOST)
          --port PORT            port (default 4599; STRONGROOM_PORT)
          --data-dir DIR         data directory (default ./data; STRONGROOM_DATA_DIR)
          --workers N            serving processes (default: one per CPU; STRONGROOM_WORKERS)
          --dev                  also accept test/test for the development account (STRONGROOM_DEV=1)
          --dev-account-id ID    the development account (default 000000000000; STRONGROOM_DEV_ACCOUNT_ID)
          --region REGION        region written to the credentials file (default us-east-1)
          --tls-cert FILE --tls-key FILE   serve HTTPS with this certificate and key (STRONGROOM_TLS_CERT/_KEY)
          --tls-self-signed      serve HTTPS with a certificate generated into the data directory
          --audit-retention-days N   remove sealed audit records older than N days (default: keep all)
          --audit-archive-dir DIR    archive them there first (default <data-dir>/audit-archive; 'none')
          --audit-stream FILE|-      also stream every audit record as JSON Lines to FILE or stdout
          --no-audit                 record no audit trail (only to measure its cost; never in production)
  audit   Read and verify the audit trail: tail | query | export | verify | public-key (see 'strongroom audit help').
${ACCOUNTS_USAGE}${IAM_USAGE}${AUTHZ_USAGE}`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      await serve(readServerConfig(args));
      return 0;
    case 'audit':
      return runAuditCommand(args, (text) => process.stdout.write(text));
    case 'accounts':
      return runAccountsCommand(args, (text) => process.stdout.write(text));
    case 'iam':
      return runIamCommand(args, (text) => process.stdout.write(text));
    case 'authz':
      return runAuthzCommand(args, (text) => process.stdout.write(text));
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`strongroom: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`strongroom: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
