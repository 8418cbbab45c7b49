import type { KmsKey } from '../../keys/key.js';
import type { AliasRepository } from '../../store/store.js';
import type { CompiledPolicy } from '../policy/index.js';

/** AWS's quota of aliases per key is far below this; the bound only keeps one request's work finite. */
const MAX_ALIASES = 1000;
const RESOURCE_ALIASES = 'kms:resourcealiases';

const mentions = new WeakMap<CompiledPolicy, boolean>();

/**
 * Whether any of the policies has a condition on kms:ResourceAliases — the only condition key that needs a
 * store lookup (the key's aliases). Computed once per compiled policy; most requests never look aliases up.
 */
export function mentionsResourceAliases(policies: readonly CompiledPolicy[]): boolean {
  return policies.some((policy) => {
    let known = mentions.get(policy);
    if (known === undefined) {
      known = policy.statements.some((statement) =>
        statement.conditions.some((condition) => condition.key.toLowerCase() === RESOURCE_ALIASES));
      mentions.set(policy, known);
    }
    return known;
  });
}

/** The names (`alias/...`) of the aliases that point to `key`: kms:ResourceAliases. */
export async function listResourceAliases(aliases: AliasRepository, key: KmsKey): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await aliases.list(key, { limit: 100, keyId: key.id, ...(marker === undefined ? {} : { marker }) });
    names.push(...page.items.map((alias) => alias.name));
    marker = page.nextMarker;
  } while (marker !== undefined && names.length < MAX_ALIASES);
  return names;
}
