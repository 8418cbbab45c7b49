import { parseArgs } from 'node:util';
import { DEFAULT_XKS_USER, issueXksCredential, XKS_ACCESS_KEY_ID } from '../xks/proxy/xks-credentials.js';
import { DEFAULT_XKS_URI_PREFIX, normalizedUriPrefix } from '../xks/proxy/xks-proxy-config.js';
import { XKS_API_PATH } from '../xks/xks-wire.js';
import { openStorageSession, STORAGE_OPTIONS, STORAGE_USAGE, withErrorCode, type StorageFlags, type StorageSession } from './storage-session.js';

export const XKS_USAGE = `  xks create-credential   Create a credential for the XKS proxy API (serve --xks-proxy; docs/xks-proxy.md), acting
                    as an IAM user of the account (created if missing). Prints, once, the proxy configuration
                    file the AWS KMS console accepts: XksProxyUriPath and the access key id and secret.
          --account ID              the account (default: the administrator's; also --account-id)
          --user NAME               the IAM user it acts as (default ${DEFAULT_XKS_USER})
          --uri-prefix PREFIX       the XksProxyUriPath's prefix, as served with --xks-uri-prefix (default ${DEFAULT_XKS_URI_PREFIX})
  xks list          List credentials: access key id, account, user, created, last used (tab-separated).   [--account ID]
  xks delete        Delete a credential; requests signed with it fail at once.   --access-key-id ID
${STORAGE_USAGE}`;

const OPTIONS = {
  ...STORAGE_OPTIONS,
  account: { type: 'string' },
  'account-id': { type: 'string' },
  user: { type: 'string' },
  'uri-prefix': { type: 'string' },
  'access-key-id': { type: 'string' },
} as const;

type XksFlags = StorageFlags & {
  readonly account?: string;
  readonly 'account-id'?: string;
  readonly user?: string;
  readonly 'uri-prefix'?: string;
  readonly 'access-key-id'?: string;
};
type CommandFlag = 'account' | 'account-id' | 'user' | 'uri-prefix' | 'access-key-id';

/** A command line that is wrong in itself: exit code 2, with the usage. */
class XksUsageError extends Error {}

/**
 * `strongroom xks create-credential|list|delete`: the credentials AWS KMS (or another Strongroom) signs its XKS proxy
 * calls with (ADR 0023, Decision 2), managed on a data directory or shared database directly. Resolves with the exit
 * code: 0, or 2 for a usage error (printed on standard error); any other failure rejects, and the CLI prints it and
 * exits 1. The secret is printed once, by create-credential, and stored only wrapped by the root of trust.
 *
 * @example
 *   await runXksCommand(['create-credential', '--account', '111122223333'], print);
 */
export async function runXksCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    print(`Usage:\n${XKS_USAGE}`);
    return 0;
  }
  try {
    const flags = parseXksFlags(rest);
    switch (subcommand) {
      case 'create-credential':
        refuseFlags(subcommand, flags, ['access-key-id']);
        return await createCredential(flags, print);
      case 'list':
        refuseFlags(subcommand, flags, ['user', 'uri-prefix', 'access-key-id']);
        return await withSession(flags, (session) => list(session, flags, print));
      case 'delete': {
        refuseFlags(subcommand, flags, ['account', 'account-id', 'user', 'uri-prefix']);
        const accessKeyId = flags['access-key-id'];
        if (accessKeyId === undefined) throw new XksUsageError('--access-key-id is required');
        if (!XKS_ACCESS_KEY_ID.test(accessKeyId)) throw new XksUsageError(`invalid XKS access key id '${accessKeyId}' (20 to 30 of A-Z, 2-7)`);
        return await withSession(flags, (session) => remove(session, accessKeyId, print));
      }
      default:
        throw new XksUsageError(
          `${subcommand === undefined ? 'xks needs a command' : `unknown xks command '${subcommand}'`} (create-credential, list, delete)`,
        );
    }
  } catch (error) {
    if (!(error instanceof XksUsageError)) throw withErrorCode(error);
    process.stderr.write(`strongroom: ${error.message}\n\nUsage:\n${XKS_USAGE}`);
    return 2;
  }
}

async function createCredential(flags: XksFlags, print: (text: string) => void): Promise<number> {
  let uriPath: string;
  try {
    uriPath = `${normalizedUriPrefix(flags['uri-prefix'] ?? DEFAULT_XKS_URI_PREFIX)}${XKS_API_PATH}`;
  } catch (error) {
    throw new XksUsageError((error as Error).message.replace('--xks-uri-prefix', '--uri-prefix'));
  }
  return withSession(flags, async (session) => {
    const accountId = await session.accountId(accountFlag(flags));
    const issued = await issueXksCredential(session.iam, session.store.xksCredentials, {
      accountId,
      userName: flags.user ?? DEFAULT_XKS_USER,
    });
    try {
      // The AWS KMS console's "proxy configuration file" (the specification's Other considerations), on standard output.
      print(`${JSON.stringify({
        XksProxyUriPath: uriPath,
        XksProxyAuthenticationCredential: {
          AccessKeyId: issued.credential.accessKeyId,
          RawSecretAccessKey: issued.secret.expose().toString('utf8'),
        },
      }, null, 2)}\n`);
    } finally {
      issued.secret.wipe();
    }
    process.stderr.write(
      `XKS credential ${issued.credential.accessKeyId} acts as ${issued.user.arn}` +
        `${issued.createdUser ? ' (user created)' : ''}; its secret is shown only now. ` +
        'Grant that user kms:DescribeKey, kms:Encrypt and kms:Decrypt in the key policies of the keys it may use.\n',
    );
    return 0;
  });
}

async function list(session: StorageSession, flags: XksFlags, print: (text: string) => void): Promise<number> {
  const account = accountFlag(flags);
  for (const credential of await session.store.xksCredentials.list(account === undefined ? undefined : await session.accountId(account))) {
    const lastUsed = credential.lastUsedAt === undefined ? '-' : new Date(credential.lastUsedAt).toISOString();
    print(`${credential.accessKeyId}\t${credential.accountId}\t${credential.userName}\t${new Date(credential.createdAt).toISOString()}\t${lastUsed}\n`);
  }
  return 0;
}

async function remove(session: StorageSession, accessKeyId: string, print: (text: string) => void): Promise<number> {
  if (!(await session.store.xksCredentials.delete(accessKeyId))) throw new Error(`no XKS credential ${accessKeyId} exists`);
  print(`Deleted XKS credential ${accessKeyId}.\n`);
  return 0;
}

function accountFlag(flags: XksFlags): string | undefined {
  if (flags.account !== undefined && flags['account-id'] !== undefined && flags.account !== flags['account-id']) {
    throw new XksUsageError('--account and --account-id name different accounts');
  }
  return flags.account ?? flags['account-id'];
}

async function withSession(flags: StorageFlags, use: (session: StorageSession) => Promise<number>): Promise<number> {
  const session = await openStorageSession(flags);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

function parseXksFlags(args: readonly string[]): XksFlags {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true }).values;
  } catch (error) {
    // parseArgs's own errors (an unknown flag, a missing value, a stray argument) are usage errors.
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_')) {
      throw new XksUsageError(error.message);
    }
    throw error;
  }
}

function refuseFlags(subcommand: string, flags: XksFlags, refused: readonly CommandFlag[]): void {
  const given = refused.filter((flag) => flags[flag] !== undefined);
  if (given.length > 0) throw new XksUsageError(`xks ${subcommand} takes no ${given.map((flag) => `--${flag}`).join(', ')}`);
}
