import { ACCOUNTS_USAGE, runAccountsCommand } from './accounts.js';
import { runAuditCommand } from './audit/audit-command.js';
import { AUTHZ_USAGE, runAuthzCommand } from './authz.js';
import type { CommandOutput } from './command-output.js';
import { HSM_USAGE, runHsmCommand } from './hsm.js';
import { IAM_USAGE, runIamCommand } from './iam.js';
import { INIT_USAGE, runInitCommand } from './init.js';
import { REWRAP_USAGE, runRewrapCommand } from './rewrap.js';
import { runSeedCommand, SEED_USAGE } from './seed.js';
import { runXksCommand, XKS_USAGE } from './xks.js';

/** Runs a command with its arguments, printing to `output`; resolves with its exit code. */
export type Command = (args: readonly string[], output: CommandOutput) => Promise<number>;

/**
 * The administrative commands (everything but `serve` and the file commands), by name. main.ts imports this module
 * only when one of them runs, so that a serving process loads none of their code (the seed file's YAML parser, the
 * audit readers, the IAM commands). They are one module so that they are one lazily loaded part of the bundle, not
 * one each: every part a process loads costs it resolving and linking, and when each command was a part of its own,
 * the server's code was cut into twice as many chunks, which made every serving process slower to start.
 */
export const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  init: (args, output) => runInitCommand(args, output.write),
  rewrap: (args, output) => runRewrapCommand(args, output.write),
  audit: (args, output) => runAuditCommand(args, output.print),
  accounts: (args, output) => runAccountsCommand(args, output.write),
  iam: (args, output) => runIamCommand(args, output.write),
  seed: (args, output) => runSeedCommand(args, output.write),
  authz: (args, output) => runAuthzCommand(args, output.write),
  hsm: (args, output) => runHsmCommand(args, output.write),
  xks: (args, output) => runXksCommand(args, output.write),
});

/** Their part of `strongroom help`, in the order it lists them. */
export const COMMANDS_USAGE = `${INIT_USAGE}${REWRAP_USAGE}  audit   Read and verify the audit trail: tail | query | export | verify | public-key (see 'strongroom audit help').
${ACCOUNTS_USAGE}${SEED_USAGE}${IAM_USAGE}${AUTHZ_USAGE}${HSM_USAGE}${XKS_USAGE}`;
