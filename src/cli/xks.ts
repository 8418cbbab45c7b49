import { parseArgs } from 'node:util';
import { DEFAULT_XKS_USER, issueXksCredential, XKS_ACCESS_KEY_ID } from '../xks/proxy/xks-credentials.js';
import { DEFAULT_XKS_URI_PREFIX, normalizedUriPrefix } from '../xks/proxy/xks-proxy-config.js';
import { XKS_API_PATH } from '../xks/xks-wire.js';
import { STORAGE_OPTIONS, STORAGE_USAGE, withErrorCode, type StorageFlags, type StorageSession } from './storage-session.js';
import { parsingFlags, refuseFlags, runSubcommand, unknownSubcommand, UsageError, withStorageSession } from './subcommands.js';

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
  return runSubcommand(XKS_USAGE, args, print, async (subcommand, rest) => {
    const flags = parsingFlags(() => parseArgs({ args: [...rest], options: OPTIONS, strict: true }).values);
    try {
      switch (subcommand) {
        case 'create-credential':
          refuseFlags('xks', subcommand, flags, ['access-key-id']);
          return await createCredential(flags, print);
        case 'list':
          refuseFlags('xks', subcommand, flags, ['user', 'uri-prefix', 'access-key-id']);
          return await withStorageSession(flags, (session) => list(session, flags, print));
        case 'delete': {
          refuseFlags('xks', subcommand, flags, ['account', 'account-id', 'user', 'uri-prefix']);
          const accessKeyId = flags['access-key-id'];
          if (accessKeyId === undefined) throw new UsageError('--access-key-id is required');
          if (!XKS_ACCESS_KEY_ID.test(accessKeyId)) throw new UsageError(`invalid XKS access key id '${accessKeyId}' (20 to 30 of A-Z, 2-7)`);
          return await withStorageSession(flags, (session) => remove(session, accessKeyId, print));
        }
        default:
          throw unknownSubcommand('xks', subcommand, ['create-credential', 'list', 'delete']);
      }
    } catch (error) {
      throw error instanceof UsageError ? error : withErrorCode(error);
    }
  });
}

async function createCredential(flags: XksFlags, print: (text: string) => void): Promise<number> {
  let uriPath: string;
  try {
    uriPath = `${normalizedUriPrefix(flags['uri-prefix'] ?? DEFAULT_XKS_URI_PREFIX)}${XKS_API_PATH}`;
  } catch (error) {
    throw new UsageError((error as Error).message.replace('--xks-uri-prefix', '--uri-prefix'));
  }
  return withStorageSession(flags, async (session) => {
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
    throw new UsageError('--account and --account-id name different accounts');
  }
  return flags.account ?? flags['account-id'];
}

