import { issueAccessKey, newAccountId } from '../auth/access-keys.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { ADMINISTRATOR_ACCOUNT_SETTING, type Store } from '../store/store.js';
import { writePrivateFile } from './data-directory.js';
import { credentialsFileText } from './credentials-file.js';

export interface Administrator {
  readonly accountId: string;
  /** Present only on the start that created it. */
  readonly created?: { readonly accessKeyId: string };
}

/**
 * On the first start of a data directory (and at `strongroom init` of a shared database): creates the default
 * account and its administrator (the account's root principal) with an access key, printed once and, when
 * `credentialsPath` is given, written as an AWS shared-credentials file (profile `default`, mode 0600). Later
 * starts find the account and do nothing.
 */
export async function ensureAdministrator(
  store: Store,
  rootKey: RootOfTrust,
  options: { credentialsPath?: string; region: string; now: number; print: (text: string) => void },
): Promise<Administrator> {
  const existing = await store.settings.get(ADMINISTRATOR_ACCOUNT_SETTING);
  if (existing) return { accountId: existing };
  const accountId = newAccountId();
  await store.identities.createAccount({ id: accountId, createdAt: options.now });
  const { accessKeyId, secret } = await issueAccessKey(
    store.identities,
    rootKey,
    { accountId, principalArn: `arn:aws:iam::${accountId}:root`, principalType: 'Root', principalId: accountId },
    options.now,
  );
  const secretText = secret.expose().toString('utf8');
  if (options.credentialsPath !== undefined) {
    await writePrivateFile(options.credentialsPath, credentialsFileText('default', accessKeyId, secretText, options.region));
  }
  // Recorded last: a start that dies before this point starts over, so the credentials file always matches.
  await store.settings.put(ADMINISTRATOR_ACCOUNT_SETTING, accountId);
  options.print(
    [
      `Created account ${accountId} with an administrator access key (shown once):`,
      `  aws_access_key_id     = ${accessKeyId}`,
      `  aws_secret_access_key = ${secretText}`,
      ...(options.credentialsPath !== undefined
        ? [
            `Written to ${options.credentialsPath} (mode 0600). Use it with:`,
            `  AWS_SHARED_CREDENTIALS_FILE=${options.credentialsPath} aws kms list-keys --endpoint-url <url>`,
          ]
        : ['Keep it now: it is not shown again, and only its wrapped form is stored.']),
      '',
    ].join('\n'),
  );
  return { accountId, created: { accessKeyId } };
}
