import { accessKeyAad } from '../../auth/credential-resolver.js';
import { keyArn, type KmsKey } from '../../keys/key.js';
import type { AccessKey } from '../../store/store.js';
import { MAX_ON_DEMAND_ROTATIONS } from '../rotation.js';
import type { ServiceDependencies } from '../services.js';
import { compareMaterialVersions } from './material-versions.js';
import type { SeedAccessKey, SeedAccount, SeedAlias, SeedDocument, SeedKey, SeedMaterial } from './seed-document.js';
import { SeedProblems } from './seed-file-error.js';

/** One change applying a seed file makes. */
export type SeedAction =
  | { readonly kind: 'create-account'; readonly account: SeedAccount }
  | { readonly kind: 'create-access-key'; readonly accountId: string; readonly accessKey: SeedAccessKey }
  | { readonly kind: 'create-key'; readonly key: SeedKey }
  | { readonly kind: 'add-materials'; readonly key: KmsKey; readonly materials: readonly SeedMaterial[] }
  | { readonly kind: 'create-alias'; readonly key: SeedKey; readonly alias: SeedAlias };

/** What applying a seed file to a store would change, found before anything is changed. */
export interface SeedPlan {
  readonly actions: readonly SeedAction[];
  /** Keys of the file that exist and need nothing. */
  readonly keysUnchanged: number;
  /** Where an existing key's mutable metadata differs from the file (left as it is). */
  readonly notes: readonly string[];
}

/** IAM's quota of long-term access keys per principal, the root included. */
const ACCESS_KEYS_PER_PRINCIPAL = 2;

/**
 * Compares a seed file with what the store holds. What is missing is planned for creation; what exists must
 * agree with the file in what can never change (a key's spec, usage and material; an access key's account
 * and secret; an alias's key), or the whole file is refused. A seed file seeds, it does not manage: the
 * description, state, tags, policy and rotation of an existing key stay as they are (a note says where they
 * differ), so a restart with `--seed` never undoes a change made through the API.
 *
 * @throws SeedFileError naming each entry that disagrees with the store; nothing has been changed.
 */
export async function planSeed(deps: ServiceDependencies, document: SeedDocument): Promise<SeedPlan> {
  const problems = new SeedProblems();
  const actions: SeedAction[] = [];
  const notes: string[] = [];
  for (const account of document.accounts) actions.push(...(await planAccount(deps, account, problems)));
  let keysUnchanged = 0;
  for (const key of document.keys) {
    const keyActions = await planKey(deps, key, problems, notes);
    if (keyActions.length === 0) keysUnchanged++;
    actions.push(...keyActions);
  }
  problems.throwIfAny(document.source);
  return { actions, keysUnchanged, notes };
}

async function planAccount(deps: ServiceDependencies, account: SeedAccount, problems: SeedProblems): Promise<SeedAction[]> {
  const { identities } = deps.store;
  const actions: SeedAction[] = [];
  if ((await identities.getAccount(account.id)) === undefined) actions.push({ kind: 'create-account', account });
  const rootArn = `arn:aws:iam::${account.id}:root`;
  for (const accessKey of account.accessKeys) {
    const stored = await identities.getAccessKey(accessKey.accessKeyId);
    if (stored === undefined) {
      actions.push({ kind: 'create-access-key', accountId: account.id, accessKey });
    } else if (stored.principalArn !== rootArn || stored.expiresAt !== undefined) {
      problems.add(accessKey.path, `access key ${accessKey.accessKeyId} exists for another principal (${stored.principalArn})`);
    } else if (!storedSecretEquals(deps, stored, accessKey)) {
      problems.add(accessKey.path, `access key ${accessKey.accessKeyId} exists with another secret`);
    }
  }
  const added = actions.filter((action) => action.kind === 'create-access-key').length;
  const existing = (await identities.listAccessKeys(rootArn)).filter((key) => key.expiresAt === undefined).length;
  if (added > 0 && existing + added > ACCESS_KEYS_PER_PRINCIPAL) {
    problems.add(`${account.path}.accessKeys`, `the root of account ${account.id} would have ${existing + added} access keys; IAM allows ${ACCESS_KEYS_PER_PRINCIPAL}`);
  }
  return actions;
}

function storedSecretEquals(deps: ServiceDependencies, stored: AccessKey, given: SeedAccessKey): boolean {
  const secret = deps.rootKey.unwrap(stored.wrappedSecret, accessKeyAad(stored.accessKeyId));
  try {
    return secret.equals(given.secret);
  } finally {
    secret.wipe();
  }
}

async function planKey(deps: ServiceDependencies, seed: SeedKey, problems: SeedProblems, notes: string[]): Promise<SeedAction[]> {
  const arn = keyArn(seed.scope, seed.id);
  const existing = await deps.store.keys.get(seed.scope, seed.id);
  const actions: SeedAction[] = existing ? await planExistingKey(deps, seed, existing, problems, notes) : [{ kind: 'create-key', key: seed }];
  for (const alias of seed.aliases) {
    const stored = await deps.store.aliases.get(seed.scope, alias.name);
    if (stored === undefined) actions.push({ kind: 'create-alias', key: seed, alias });
    else if (stored.targetKeyId !== seed.id) problems.add(alias.path, `${alias.name} exists and points to key ${stored.targetKeyId}, not ${seed.id}`);
  }
  if (existing?.state === 'PendingDeletion' && actions.length > 0) {
    problems.add(seed.path, `key ${arn} is pending deletion: cancel its deletion, or take it out of the file`);
  }
  return actions;
}

async function planExistingKey(
  deps: ServiceDependencies,
  seed: SeedKey,
  existing: KmsKey,
  problems: SeedProblems,
  notes: string[],
): Promise<SeedAction[]> {
  if (existing.spec !== seed.spec) {
    problems.add(`${seed.path}.spec`, `key ${existing.arn} exists with spec ${existing.spec}`);
    return [];
  }
  if (existing.usage !== seed.usage) {
    problems.add(`${seed.path}.usage`, `key ${existing.arn} exists with usage ${existing.usage}`);
    return [];
  }
  const differing = differingMetadata(seed, existing);
  if (differing.length > 0) {
    notes.push(`${seed.path}: key ${existing.arn} exists; its ${differing.join(', ')} differ${differing.length === 1 ? 's' : ''} from the file and ${differing.length === 1 ? 'was' : 'were'} left as ${differing.length === 1 ? 'it is' : 'they are'}`);
  }
  if (seed.materials.length === 0) return [];
  const stored = await deps.store.keys.listMaterials(existing.arn);
  const comparison = compareMaterialVersions(existing.arn, stored, seed.materials);
  if (comparison.kind === 'conflict') {
    problems.add(comparison.path, comparison.reason);
    return [];
  }
  if (comparison.materials.length === 0) return [];
  const rotations = stored.filter((material) => material.rotationType === 'ON_DEMAND').length + comparison.materials.length;
  if (rotations > MAX_ON_DEMAND_ROTATIONS) {
    problems.add(`${seed.path}.materials`, `key ${existing.arn} would have ${rotations} on-demand rotations; AWS allows ${MAX_ON_DEMAND_ROTATIONS}`);
    return [];
  }
  return [{ kind: 'add-materials', key: existing, materials: comparison.materials }];
}

/** The mutable metadata in which an existing key differs from its entry (a policy only when the file gives one). */
function differingMetadata(seed: SeedKey, existing: KmsKey): string[] {
  const differing: string[] = [];
  if (existing.description !== seed.description) differing.push('description');
  if ((existing.state === 'Enabled') !== seed.enabled) differing.push('enabled state');
  const tags = (list: readonly { key: string; value: string }[]) => JSON.stringify([...list].sort((a, b) => (a.key < b.key ? -1 : 1)));
  if (tags(existing.tags) !== tags(seed.tags)) differing.push('tags');
  if (seed.policy !== undefined && existing.policy !== seed.policy) differing.push('policy');
  if (existing.rotation.enabled !== seed.rotation.enabled || (seed.rotation.enabled && existing.rotation.periodInDays !== seed.rotation.periodInDays)) {
    differing.push('rotation');
  }
  return differing;
}
