import { accessKeyAad } from '../../auth/credential-resolver.js';
import { defaultKeyPolicy } from '../../keys/default-key-policy.js';
import { keyArn, type KeyMaterial, type KmsKey } from '../../keys/key.js';
import { DuplicateError } from '../../store/store.js';
import { newKeyMaterial } from '../key-materials.js';
import { mutateKey } from '../key-mutation.js';
import { DAY_MS, type ServiceDependencies } from '../services.js';
import type { SeedDocument, SeedKey, SeedMaterial, SeedOutcome } from './seed-document.js';
import { SeedFileError } from './seed-file-error.js';
import { planSeed, type SeedAction, type SeedPlan } from './seed-plan.js';
import { wrapGivenMaterial } from './seeded-material.js';

/**
 * Applies a seed file to the store: plans first (`planSeed`, which refuses the whole file when it disagrees
 * with the store), then creates what is missing. Applying the same file again finds nothing missing and
 * changes nothing. Every write is durable when this resolves. A failure part-way (a full disk) leaves what
 * was written; applying the file again completes it, because each step is planned from what is there.
 *
 * @throws SeedFileError when the file disagrees with the store (nothing changed).
 * @example
 *   const outcome = await applySeed(node.deps, await readSeedFile('seed.yaml'));
 *   print(describeSeedOutcome('seed.yaml', outcome));
 */
export async function applySeed(deps: ServiceDependencies, document: SeedDocument): Promise<SeedOutcome> {
  const plan = await planSeed(deps, document);
  for (const action of plan.actions) await apply(deps, action, document.source);
  return outcomeOf(plan);
}

async function apply(deps: ServiceDependencies, action: SeedAction, source: string): Promise<void> {
  const { identities } = deps.store;
  switch (action.kind) {
    case 'create-account':
      return inserting(source, action.account.path, () => identities.createAccount({ id: action.account.id, createdAt: deps.now() }));
    case 'create-access-key': {
      const { accessKeyId, secret, path } = action.accessKey;
      return inserting(source, path, () =>
        identities.createAccessKey({
          accessKeyId,
          accountId: action.accountId,
          principalArn: `arn:aws:iam::${action.accountId}:root`,
          principalType: 'Root',
          principalId: action.accountId,
          wrappedSecret: deps.rootKey.wrap(secret, accessKeyAad(accessKeyId)),
          status: 'Active',
          createdAt: deps.now(),
        }),
      );
    }
    case 'create-key':
      return createSeededKey(deps, action.key, source);
    case 'add-materials':
      await addMaterialVersions(deps, action.key, action.materials);
      return;
    case 'create-alias': {
      const now = deps.now();
      const { scope, id } = action.key;
      return inserting(source, action.alias.path, () =>
        deps.store.aliases.create({ ...scope, name: action.alias.name, targetKeyId: id, createdAt: now, updatedAt: now }),
      );
    }
  }
}

/**
 * A key as its entry describes it, with the first material version (generated when the entry gives none);
 * later versions are appended one by one, each becoming current, as rotations would have.
 */
async function createSeededKey(deps: ServiceDependencies, seed: SeedKey, source: string): Promise<void> {
  const arn = keyArn(seed.scope, seed.id);
  const [first, ...later] = seed.materials;
  const material: KeyMaterial = first ? wrapGivenMaterial(deps, arn, first.material) : await newKeyMaterial(deps, arn, seed.spec);
  const now = deps.now();
  const key: KmsKey = {
    ...seed.scope,
    id: seed.id,
    arn,
    spec: seed.spec,
    usage: seed.usage,
    // As LocalStack's keys with custom material: they behave as keys made by CreateKey (rotation included).
    origin: 'AWS_KMS',
    manager: 'CUSTOMER',
    multiRegion: false,
    createdAt: now,
    description: seed.description,
    state: seed.enabled ? 'Enabled' : 'Disabled',
    policy: seed.policy ?? defaultKeyPolicy(seed.scope.accountId),
    tags: seed.tags,
    rotation: {
      enabled: seed.rotation.enabled,
      periodInDays: seed.rotation.periodInDays,
      ...(seed.rotation.enabled ? { nextRotationAt: now + seed.rotation.periodInDays * DAY_MS } : {}),
    },
    currentMaterialId: material.id,
    revision: 1,
  };
  await inserting(source, seed.path, () => deps.store.keys.create(key, material));
  await addMaterialVersions(deps, key, later);
}

/** Appends versions oldest first, each current once appended (a rotation each, as the key's history says). */
async function addMaterialVersions(deps: ServiceDependencies, key: KmsKey, materials: readonly SeedMaterial[]): Promise<void> {
  let current = key;
  for (const { material } of materials) {
    const version = wrapGivenMaterial(deps, key.arn, material, 'ON_DEMAND');
    current = await mutateKey(deps, current, () => ({ fields: { currentMaterialId: version.id }, newMaterial: version }));
  }
}

/** Another process created the same thing between plan and apply: say which entry, and that a rerun settles it. */
async function inserting(source: string, path: string, insert: () => Promise<void>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if (!(error instanceof DuplicateError)) throw error;
    throw new SeedFileError(source, [{ path, reason: `${error.message}: it was created while the file was applied; apply the file again` }]);
  }
}

function outcomeOf(plan: SeedPlan): SeedOutcome {
  const count = (kind: SeedAction['kind']) => plan.actions.filter((action) => action.kind === kind).length;
  const materialVersionsAdded = plan.actions.reduce(
    (sum, action) =>
      sum + (action.kind === 'add-materials' ? action.materials.length : action.kind === 'create-key' ? Math.max(0, action.key.materials.length - 1) : 0),
    0,
  );
  return {
    accountsCreated: count('create-account'),
    accessKeysCreated: count('create-access-key'),
    keysCreated: count('create-key'),
    materialVersionsAdded,
    aliasesCreated: count('create-alias'),
    keysUnchanged: plan.keysUnchanged,
    notes: plan.notes,
  };
}

/**
 * The lines `--seed` and `strongroom seed` print: what was created, then each note.
 * @example describeSeedOutcome('seed.yaml', outcome); // 'Seeded from seed.yaml: 2 keys, 1 alias created; 1 key already there\n'
 */
export function describeSeedOutcome(source: string, outcome: SeedOutcome): string {
  const created = [
    counted(outcome.accountsCreated, 'account'),
    counted(outcome.accessKeysCreated, 'access key'),
    counted(outcome.keysCreated, 'key'),
    counted(outcome.materialVersionsAdded, 'later material version'),
    counted(outcome.aliasesCreated, 'alias', 'aliases'),
  ].filter((part) => part !== undefined);
  const summary = created.length > 0 ? `${created.join(', ')} created` : 'nothing to create';
  const unchanged = outcome.keysUnchanged > 0 ? `; ${counted(outcome.keysUnchanged, 'key')} already there` : '';
  return [`Seeded from ${source}: ${summary}${unchanged}`, ...outcome.notes.map((note) => `  note: ${note}`)].join('\n') + '\n';
}

function counted(count: number, one: string, many = `${one}s`): string | undefined {
  if (count === 0) return undefined;
  return `${count} ${count === 1 ? one : many}`;
}
