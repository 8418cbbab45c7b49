import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAccount } from '../service/identities/accounts.js';
import { writePrivateFile } from '../server/data-directory.js';
import { credentialsFileText } from '../server/credentials-file.js';
import { openStorageSession, STORAGE_OPTIONS, STORAGE_USAGE, withErrorCode } from './storage-session.js';

export const ACCOUNTS_USAGE = `  accounts create   Create an account with root credentials (printed once).
${STORAGE_USAGE}          --account-id ID           the 12-digit id (default: random)
          --credentials-file PATH   also write the credentials there (AWS format, mode 0600)
          --profile NAME            profile name in that file (default: default)
          --region REGION           region in that file (default us-east-1)
  accounts list     List the accounts (the same storage flags).
`;

/**
 * `strongroom accounts create|list`: accounts are separate key and identity spaces, each with a root
 * principal. The root's secret is printed once (and written only to the file asked for).
 */
export async function runAccountsCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  const [subcommand, ...rest] = args;
  const { values } = parseArgs({
    args: [...rest],
    options: {
      ...STORAGE_OPTIONS,
      'account-id': { type: 'string' },
      'credentials-file': { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
    },
    strict: true,
  });
  const session = await openStorageSession(values);
  try {
    switch (subcommand) {
      case 'create': {
        const { account, rootAccessKey } = await createAccount(session.iam, values['account-id']);
        const accessKeyId = rootAccessKey.record.accessKeyId;
        const secret = rootAccessKey.secret.expose().toString('utf8');
        const path = values['credentials-file'];
        if (path !== undefined) {
          const text = credentialsFileText(values.profile ?? 'default', accessKeyId, secret, values.region ?? 'us-east-1');
          await writePrivateFile(resolve(path), text);
        }
        print(
          [
            `Created account ${account.id} with a root access key (shown once):`,
            `  aws_access_key_id     = ${accessKeyId}`,
            `  aws_secret_access_key = ${secret}`,
            ...(path !== undefined ? [`Written to ${resolve(path)} (mode 0600).`] : []),
            '',
          ].join('\n'),
        );
        return 0;
      }
      case 'list':
        for (const account of await session.store.identities.listAccounts()) {
          print(`${account.id}\t${new Date(account.createdAt).toISOString()}\n`);
        }
        return 0;
      default:
        throw new Error(`unknown accounts command '${subcommand ?? ''}' (create, list)`);
    }
  } catch (error) {
    throw withErrorCode(error);
  } finally {
    await session.close();
  }
}
