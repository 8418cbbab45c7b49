import { openStorageSession, type StorageFlags, type StorageSession } from './storage-session.js';

/**
 * What the commands with subcommands over storage share (`strongroom hsm ...`, `strongroom xks ...`): `help`, usage
 * errors answered with exit code 2 and the usage, flags refused where a subcommand takes none, and a storage session
 * closed whatever happens.
 */

/** A command line that is wrong in itself (not the state it meets): exit code 2, with the usage. */
export class UsageError extends Error {}

/**
 * Runs one subcommand: `help` (or `--help`, `-h`) prints `usage` and resolves 0; a `UsageError` from `run` is printed
 * with the usage on standard error and resolves 2; any other failure rejects (the CLI prints it and exits 1).
 *
 * @example
 *   return runSubcommand(HSM_USAGE, args, print, (subcommand, rest) => ...);
 */
export async function runSubcommand(
  usage: string,
  args: readonly string[],
  print: (text: string) => void,
  run: (subcommand: string | undefined, rest: readonly string[]) => Promise<number>,
): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    print(`Usage:\n${usage}`);
    return 0;
  }
  try {
    return await run(subcommand, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`strongroom: ${error.message}\n\nUsage:\n${usage}`);
    return 2;
  }
}

/** The usage error of a subcommand that is missing or unknown, naming those there are. */
export function unknownSubcommand(command: string, subcommand: string | undefined, known: readonly string[]): UsageError {
  const what = subcommand === undefined ? `${command} needs a command` : `unknown ${command} command '${subcommand}'`;
  return new UsageError(`${what} (${known.join(', ')})`);
}

/** Parses flags with `parse` (node:util's parseArgs); its own errors (unknown flag, missing value) are usage errors. */
export function parsingFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** Refuses the flags `refused` that were given: `<command> <subcommand> takes no --a, --b`. */
export function refuseFlags<F extends string>(command: string, subcommand: string, flags: Partial<Record<F, unknown>>, refused: readonly F[]): void {
  const given = refused.filter((flag) => flags[flag] !== undefined);
  if (given.length > 0) throw new UsageError(`${command} ${subcommand} takes no ${given.map((flag) => `--${flag}`).join(', ')}`);
}

/** Runs `use` on a storage session opened from the flags, closed afterwards whatever happens. */
export async function withStorageSession(flags: StorageFlags, use: (session: StorageSession) => Promise<number>): Promise<number> {
  const session = await openStorageSession(flags);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}
