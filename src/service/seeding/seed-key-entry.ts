import { parsePolicy } from '../../auth/policy/index.js';
import { KmsError } from '../../errors.js';
import type { KeyScope, Tag } from '../../keys/key.js';
import { DEFAULT_KEY_SPEC, KEY_SPECS, type KeySpec, type KeyUsage } from '../../keys/key-spec.js';
import { assertCustomerAliasName } from '../aliases.js';
import { DEFAULT_ROTATION_PERIOD_DAYS, MAX_ON_DEMAND_ROTATIONS } from '../rotation.js';
import { validateNewTags } from '../tags.js';
import { MaterialProblem, readGivenMaterial } from './given-material.js';
import { CUSTOM_KEY_MATERIAL_TAG, KEY_ID } from './localstack-tags.js';
import type { SeedAlias, SeedKey, SeedMaterial } from './seed-document.js';
import { isMapping, SeedEntry } from './seed-entry.js';
import type { SeedProblems } from './seed-file-error.js';

const KEY_FIELDS = [
  'id', 'account', 'region', 'spec', 'usage', 'description', 'enabled', 'aliases', 'tags', 'policy', 'rotation',
  'material', 'materials',
] as const;
const ROTATION_FIELDS = ['enabled', 'periodInDays'] as const;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
export const ACCOUNT_ID = { pattern: /^\d{12}$/, shown: '12 digits, in quotes' } as const;
export const REGION = { pattern: /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/, shown: 'a region name such as us-east-1', maxLength: 32 } as const;
/** The first material and every rotation AWS allows on demand. */
const MAX_MATERIAL_VERSIONS = 1 + MAX_ON_DEMAND_ROTATIONS;
const ROTATION_PERIOD = { min: 90, max: 2560 } as const;

/**
 * Reads one entry of `keys`, with the file's defaults for account and region. Checks what CreateKey and the
 * other operations would check of the same values (spec and usage, description, tags, policy, aliases,
 * rotation period), and decodes the key material for its spec. Undefined when the entry has a problem (recorded).
 */
export function readSeedKey(value: unknown, path: string, defaults: KeyScope, problems: SeedProblems): SeedKey | undefined {
  const entry = SeedEntry.of(value, path, problems, KEY_FIELDS);
  if (!entry) return undefined;
  const id = entry.string('id', { required: true, pattern: KEY_ID, shown: 'a UUID, or mrk- and 32 hexadecimal digits' });
  const accountId = entry.string('account', ACCOUNT_ID) ?? defaults.accountId;
  const region = entry.string('region', REGION) ?? defaults.region;
  const spec = readSpec(entry);
  const usage = spec === undefined ? undefined : readUsage(entry, spec);
  const description = entry.string('description', { maxLength: 8192 }) ?? '';
  const enabled = entry.boolean('enabled', true);
  const tags = readTags(entry);
  const policy = readPolicy(entry);
  const aliases = entry.list('aliases', { max: 100 }).flatMap((item) => readAlias(entry, item.path, item.value));
  const rotation = spec === undefined ? undefined : readRotation(entry, spec);
  const materials = spec === undefined ? [] : readMaterials(entry, spec);
  if (id === undefined || spec === undefined || usage === undefined || tags === undefined || rotation === undefined) {
    for (const { material } of materials) material.secret.wipe();
    return undefined;
  }
  return {
    path,
    scope: { accountId, region },
    id,
    spec,
    usage,
    description,
    enabled,
    aliases,
    tags,
    ...(policy !== undefined ? { policy } : {}),
    rotation,
    materials,
  };
}

function readSpec(entry: SeedEntry): KeySpec | undefined {
  const name = entry.string('spec') ?? DEFAULT_KEY_SPEC;
  if (!Object.hasOwn(KEY_SPECS, name)) {
    entry.problem('spec', `must be one of ${Object.keys(KEY_SPECS).join(', ')}`);
    return undefined;
  }
  const spec = name as KeySpec;
  if (!KEY_SPECS[spec].supportedHere) {
    entry.problem('spec', `${spec} is not supported by this server (docs/kms-operations.md)`);
    return undefined;
  }
  return spec;
}

/** A spec with one usage needs no `usage`; one with several (RSA, the NIST curves) must say which. */
function readUsage(entry: SeedEntry, spec: KeySpec): KeyUsage | undefined {
  const usages = KEY_SPECS[spec].usages;
  const named = entry.string('usage');
  if (named === undefined) {
    if (usages.length === 1) return usages[0];
    if (!entry.has('usage')) entry.problem('usage', `is required for spec ${spec} (one of ${usages.join(', ')})`);
    return undefined;
  }
  const usage = usages.find((candidate) => candidate === named);
  if (usage === undefined) entry.problem('usage', `spec ${spec} takes usage ${usages.join(' or ')}`);
  return usage;
}

/** Tags as a mapping of key to value, checked as CreateKey checks them (AWS's messages). */
function readTags(entry: SeedEntry): Tag[] | undefined {
  if (!entry.has('tags')) return [];
  const given = entry.fields['tags'];
  if (!isMapping(given)) {
    entry.problem('tags', 'must be a mapping of tag key to tag value');
    return undefined;
  }
  const tags: Tag[] = [];
  for (const [key, value] of Object.entries(given)) {
    const path = `tags.${key}`;
    if (typeof value !== 'string') entry.problem(path, 'a tag value must be a string (put it in quotes)');
    else if (key.length < 1 || key.length > 128) entry.problem(path, 'a tag key has 1 to 128 characters');
    else if (value.length > 256) entry.problem(path, 'a tag value has at most 256 characters');
    else if (key === CUSTOM_KEY_MATERIAL_TAG) entry.problem(path, 'would keep key material in a tag, in clear: use material');
    else tags.push({ key, value });
  }
  try {
    return validateNewTags([], tags);
  } catch (error) {
    if (!(error instanceof KmsError)) throw error;
    entry.problem('tags', error.message);
    return undefined;
  }
}

/** A key policy as JSON text, or as a mapping (written out as JSON); checked as PutKeyPolicy checks it. */
function readPolicy(entry: SeedEntry): string | undefined {
  if (!entry.has('policy')) return undefined;
  const given = entry.fields['policy'];
  const json = typeof given === 'string' ? given : isMapping(given) ? JSON.stringify(given, null, 2) : undefined;
  if (json === undefined) {
    entry.problem('policy', 'must be a policy document: JSON text, or a mapping');
    return undefined;
  }
  try {
    parsePolicy(json, 'key');
    return json;
  } catch (error) {
    if (!(error instanceof KmsError)) throw error;
    entry.problem('policy', error.message);
    return undefined;
  }
}

function readAlias(entry: SeedEntry, path: string, value: unknown): SeedAlias[] {
  if (typeof value !== 'string' || !ALIAS_NAME.test(value)) {
    entry.problems.add(path, 'must be an alias name: alias/ and up to 250 of a-z, A-Z, 0-9, /, _ and -');
    return [];
  }
  try {
    assertCustomerAliasName(value);
  } catch (error) {
    if (!(error instanceof KmsError)) throw error;
    entry.problems.add(path, error.message);
    return [];
  }
  return [{ path, name: value }];
}

function readRotation(entry: SeedEntry, spec: KeySpec): SeedKey['rotation'] | undefined {
  if (!entry.has('rotation')) return { enabled: false, periodInDays: DEFAULT_ROTATION_PERIOD_DAYS };
  const rotation = entry.child('rotation', ROTATION_FIELDS);
  if (!rotation) return undefined;
  const enabled = rotation.boolean('enabled', false);
  const periodInDays = rotation.integer('periodInDays', ROTATION_PERIOD) ?? DEFAULT_ROTATION_PERIOD_DAYS;
  if ((enabled || rotation.has('periodInDays')) && !KEY_SPECS[spec].rotatable) {
    entry.problem('rotation', `keys of spec ${spec} do not rotate (only symmetric encryption keys do)`);
    return undefined;
  }
  return { enabled, periodInDays };
}

/** `material` (one version) or `materials` (oldest first, the last current), decoded for the spec. */
function readMaterials(entry: SeedEntry, spec: KeySpec): SeedMaterial[] {
  if (entry.has('material') && entry.has('materials')) {
    entry.problem(undefined, 'give material (one version) or materials (a list, oldest first), not both');
    return [];
  }
  const items = entry.has('material')
    ? [{ path: entry.at('material'), value: entry.fields['material'] }]
    : entry.list('materials', { max: MAX_MATERIAL_VERSIONS });
  if (items.length > 1 && !KEY_SPECS[spec].rotatable) {
    entry.problem('materials', `keys of spec ${spec} have one material version (only symmetric encryption keys rotate)`);
    return [];
  }
  const materials: SeedMaterial[] = [];
  for (const item of items) {
    if (typeof item.value !== 'string') {
      entry.problems.add(item.path, 'must be a string: base64, or a PEM private key');
      continue;
    }
    try {
      materials.push({ path: item.path, material: readGivenMaterial(spec, item.value, 'text') });
    } catch (error) {
      if (!(error instanceof MaterialProblem)) throw error;
      entry.problems.add(item.path, error.message);
    }
  }
  return materials;
}
