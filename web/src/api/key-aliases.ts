import { CreateAliasCommand, DeleteAliasCommand, ListAliasesCommand, type AliasListEntry, type KMSClient } from '@aws-sdk/client-kms';
import { collectPages } from './key-pages';

export const ALIAS_PREFIX = 'alias/';

/**
 * The full alias name for what a user typed after the `alias/` the form shows (typing the prefix too is forgiven).
 * @example aliasNameOf('payments'); // 'alias/payments'
 */
export function aliasNameOf(typed: string): string {
  const name = typed.trim();
  return name.startsWith(ALIAS_PREFIX) ? name : `${ALIAS_PREFIX}${name}`;
}

/**
 * What is wrong with an alias name before the server is asked, in words, or undefined when nothing is: AWS's
 * pattern (`alias/` then letters, digits, `/`, `_` and `-`, 256 characters in all) and its reserved `alias/aws/`.
 * @example aliasNameProblem('alias/aws/s3'); // 'The alias/aws/ prefix is reserved for AWS managed keys.'
 */
export function aliasNameProblem(name: string): string | undefined {
  const rest = name.slice(ALIAS_PREFIX.length);
  if (!name.startsWith(ALIAS_PREFIX) || rest === '') return 'Enter a name after alias/.';
  if (!/^[a-zA-Z0-9/_-]+$/.test(rest)) return 'An alias name may contain only letters, digits, slashes (/), underscores (_) and dashes (-).';
  if (name.length > 256) return 'An alias name is at most 256 characters long.';
  if (name.startsWith(`${ALIAS_PREFIX}aws/`)) return 'The alias/aws/ prefix is reserved for AWS managed keys.';
  return undefined;
}

/** The key's aliases (ListAliases with its KeyId), every page of them. */
export function listKeyAliases(kms: KMSClient, keyId: string): Promise<AliasListEntry[]> {
  return collectPages(async (marker) => {
    const page = await kms.send(new ListAliasesCommand({ KeyId: keyId, Limit: 100, ...(marker ? { Marker: marker } : {}) }));
    return { items: page.Aliases ?? [], ...(page.Truncated && page.NextMarker ? { nextMarker: page.NextMarker } : {}) };
  });
}

export async function createAlias(kms: KMSClient, keyId: string, aliasName: string): Promise<void> {
  await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
}

export async function deleteAlias(kms: KMSClient, aliasName: string): Promise<void> {
  await kms.send(new DeleteAliasCommand({ AliasName: aliasName }));
}
