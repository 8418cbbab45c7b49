import { parseArgs } from 'node:util';
import type { EncryptionContext } from '@aws-crypto/client-node';
import type { KmsConnectionOptions } from './kms-connection.js';
import { FILE_ENCRYPTION_USAGE } from './file-encryption-usage.js';
import { parseEncryptionContext } from './message-expectations.js';

export type FileEncryptionCommand = 'encrypt-file' | 'decrypt-file';

/** One run of `encrypt-file` or `decrypt-file`, as its arguments describe it. */
export interface FileEncryptionRequest {
  readonly input: string;
  readonly output: string;
  readonly keyIds: readonly string[];
  readonly encryptionContext: EncryptionContext;
  readonly connection: KmsConnectionOptions;
}

/** The request, or 'help' for `--help`. Throws a usage error naming what is wrong. */
export function parseFileEncryptionArgs(command: FileEncryptionCommand, args: readonly string[]): FileEncryptionRequest | 'help' {
  const { values, positionals } = parseOrThrowUsage(command, () => parseArgs({
    args: [...args],
    options: {
      'key-id': { type: 'string', multiple: true },
      context: { type: 'string', multiple: true },
      'endpoint-url': { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  }));
  if (values.help === true) return 'help';
  const usage = (problem: string): Error => new Error(`${command}: ${problem}\nUsage:\n${FILE_ENCRYPTION_USAGE}`);
  if (positionals.length !== 2) throw usage(`takes IN and OUT ('-' for standard input or output), got ${positionals.length} paths`);
  const keyIds = values['key-id'] ?? [];
  if (command === 'encrypt-file' && keyIds.length === 0) throw usage('--key-id is required');
  let encryptionContext: EncryptionContext;
  try {
    encryptionContext = parseEncryptionContext(values.context ?? []);
  } catch (error) {
    throw usage((error as Error).message);
  }
  return {
    input: positionals[0]!,
    output: positionals[1]!,
    keyIds,
    encryptionContext,
    connection: {
      ...(values['endpoint-url'] === undefined ? {} : { endpointUrl: values['endpoint-url'] }),
      ...(values.region === undefined ? {} : { region: values.region }),
      ...(values.profile === undefined ? {} : { profile: values.profile }),
    },
  };
}

/** parseArgs' own errors (an unknown option, a missing value), prefixed with the command. */
function parseOrThrowUsage<T>(command: FileEncryptionCommand, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${command}: ${(error as Error).message}\nUsage:\n${FILE_ENCRYPTION_USAGE}`);
  }
}
