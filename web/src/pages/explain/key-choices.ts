import { ListAliasesCommand, ListKeysCommand, type KMSClient } from '@aws-sdk/client-kms';

/** A key to suggest: its ARN and how people know it (its aliases, else its id). */
export interface KeyChoice {
  readonly arn: string;
  readonly label: string;
}

/** Suggestions, not a key browser: beyond this many the user types an id, alias or ARN. */
const MOST_KEYS = 500;
const MOST_ALIAS_PAGES = 10;

/**
 * The keys of the session's account and region to suggest, named by their aliases: ListKeys and ListAliases,
 * a few pages at most, so that an account with 10,000 keys costs no more than one with 500.
 *
 * @example
 *   await keyChoices(clients.kms); // [{ arn: 'arn:aws:kms:us-east-1:111122223333:key/1234…', label: 'alias/app' }]
 */
export async function keyChoices(kms: KMSClient): Promise<readonly KeyChoice[]> {
  const [keys, aliases] = await Promise.all([listSomeKeys(kms), aliasesByKey(kms)]);
  return keys.map(({ id, arn }) => ({ arn, label: aliases.get(id)?.join(', ') ?? id }));
}

async function listSomeKeys(kms: KMSClient): Promise<{ id: string; arn: string }[]> {
  const keys: { id: string; arn: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListKeysCommand({ Limit: 100, ...(marker ? { Marker: marker } : {}) }));
    for (const key of page.Keys ?? []) if (key.KeyId && key.KeyArn) keys.push({ id: key.KeyId, arn: key.KeyArn });
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker && keys.length < MOST_KEYS);
  return keys;
}

async function aliasesByKey(kms: KMSClient): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  let marker: string | undefined;
  for (let page = 0; page < MOST_ALIAS_PAGES; page++) {
    const answer = await kms.send(new ListAliasesCommand({ Limit: 100, ...(marker ? { Marker: marker } : {}) }));
    for (const alias of answer.Aliases ?? []) {
      if (alias.TargetKeyId && alias.AliasName) byKey.set(alias.TargetKeyId, [...(byKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
    }
    marker = answer.Truncated ? answer.NextMarker : undefined;
    if (!marker) break;
  }
  return byKey;
}
