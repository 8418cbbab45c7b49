import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { KeyScope } from '../../keys/key.js';
import type { SeedAccount, SeedAccessKey, SeedDocument, SeedKey } from './seed-document.js';
import { SeedEntry } from './seed-entry.js';
import { SeedFileError, SeedProblems } from './seed-file-error.js';
import { ACCOUNT_ID, readSeedKey, REGION } from './seed-key-entry.js';

/** The one format version there is; a file says which it was written for, so a later one can change things. */
const SEED_FORMAT_VERSION = 1;
/** The development account, LocalStack's default: where keys go unless the file says otherwise. */
const DEFAULT_SCOPE: KeyScope = { accountId: '000000000000', region: 'us-east-1' };
/** IAM's quota of access keys per user, root included (`access-key-management.ts`). */
const ACCESS_KEYS_PER_ACCOUNT = 2;
const ACCESS_KEY_ID = { pattern: /^(?!ASIA)[A-Z0-9]{16,128}$/, shown: '16 to 128 upper-case letters and digits, not beginning with ASIA' } as const;
const SECRET_ACCESS_KEY = { pattern: /^[\x21-\x7e]{16,128}$/, shown: '16 to 128 printable characters without spaces' } as const;

/** The most keys one seed file holds (docs/seeding.md): more are split over several files, applied in turn. */
export const SEED_FILE_MAX_KEYS = 10_000;

/**
 * Reads a seed file (YAML, or JSON when it ends in `.json`).
 * @throws SeedFileError naming every entry that is wrong and why; nothing has been applied.
 * @example const seed = await readSeedFile('seed.yaml'); try { await applySeed(deps, seed); } finally { seed.wipe(); }
 */
export async function readSeedFile(path: string): Promise<SeedDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new SeedFileError(basename(path), [{ path: '', reason: `cannot be read (${code})` }]);
  }
  return parseSeedText(text, basename(path), extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
}

/**
 * Reads the text of a seed file: its structure, every value, and what entries must agree on together (no key,
 * alias, account or access key twice). Key material is decoded and checked for its key's spec here.
 * @throws SeedFileError naming every problem; secrets decoded so far are wiped.
 */
export function parseSeedText(text: string, source: string, syntax: 'yaml' | 'json'): SeedDocument {
  const problems = new SeedProblems();
  const decoded = syntax === 'json' ? decodeJson(text, problems) : decodeYaml(text, problems);
  problems.throwIfAny(source);
  const file = SeedEntry.of(decoded, '', problems, ['version', 'defaults', 'accounts', 'keys']);
  if (!file) return problems.fail(source);
  if (file.fields['version'] !== SEED_FORMAT_VERSION) file.problem('version', `is required and must be ${SEED_FORMAT_VERSION}`);
  const defaultsEntry = file.child('defaults', ['account', 'region']);
  const defaults: KeyScope = {
    accountId: defaultsEntry?.string('account', ACCOUNT_ID) ?? DEFAULT_SCOPE.accountId,
    region: defaultsEntry?.string('region', REGION) ?? DEFAULT_SCOPE.region,
  };
  const accounts = file.list('accounts', { max: 1000 }).flatMap((item) => readAccount(item.value, item.path, problems));
  const keys = file.list('keys', { max: SEED_FILE_MAX_KEYS }).flatMap((item) => readSeedKey(item.value, item.path, defaults, problems) ?? []);
  checkUnique(accounts, keys, problems);
  const document = seedDocument(source, accounts, keys);
  if (!problems.empty) document.wipe();
  problems.throwIfAny(source);
  return document;
}

function readAccount(value: unknown, path: string, problems: SeedProblems): SeedAccount[] {
  const entry = SeedEntry.of(value, path, problems, ['id', 'accessKeys']);
  if (!entry) return [];
  const id = entry.string('id', { required: true, ...ACCOUNT_ID });
  const accessKeys = entry.list('accessKeys', { max: ACCESS_KEYS_PER_ACCOUNT }).flatMap((item) => readAccessKey(item.value, item.path, problems));
  if (id === undefined) {
    for (const key of accessKeys) key.secret.wipe();
    return [];
  }
  return [{ path, id, accessKeys }];
}

function readAccessKey(value: unknown, path: string, problems: SeedProblems): SeedAccessKey[] {
  const entry = SeedEntry.of(value, path, problems, ['accessKeyId', 'secretAccessKey']);
  const accessKeyId = entry?.string('accessKeyId', { required: true, ...ACCESS_KEY_ID });
  const secret = entry?.string('secretAccessKey', { required: true, ...SECRET_ACCESS_KEY });
  if (accessKeyId === undefined || secret === undefined) return [];
  return [{ path, accessKeyId, secret: SecretBytes.copyOf(Buffer.from(secret, 'utf8')) }];
}

/** Two entries for one thing would make the outcome depend on their order: each must be named once. */
function checkUnique(accounts: readonly SeedAccount[], keys: readonly SeedKey[], problems: SeedProblems): void {
  const seen = new Map<string, string>();
  const once = (name: string, path: string, what: string): void => {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, path);
    else problems.add(path, `${what} is already in ${first}`);
  };
  for (const account of accounts) {
    once(`account ${account.id}`, account.path, `account ${account.id}`);
    for (const key of account.accessKeys) once(`access key ${key.accessKeyId}`, key.path, `access key ${key.accessKeyId}`);
  }
  for (const key of keys) {
    const where = `${key.scope.accountId} ${key.scope.region}`;
    once(`key ${where} ${key.id}`, `${key.path}.id`, `key ${key.id} of account ${key.scope.accountId} in ${key.scope.region}`);
    for (const alias of key.aliases) once(`alias ${where} ${alias.name}`, alias.path, `${alias.name} of account ${key.scope.accountId} in ${key.scope.region}`);
  }
}

function seedDocument(source: string, accounts: readonly SeedAccount[], keys: readonly SeedKey[]): SeedDocument {
  return {
    source,
    accounts,
    keys,
    wipe() {
      for (const account of accounts) for (const key of account.accessKeys) key.secret.wipe();
      for (const key of keys) for (const { material } of key.materials) material.secret.wipe();
    },
  };
}

/** YAML 1.2 (the `yaml` package's defaults: unique keys, a bound on aliases). Errors give a position, never text. */
function decodeYaml(text: string, problems: SeedProblems): unknown {
  const lineCounter = new LineCounter();
  // prettyErrors off: the pretty form quotes the offending line, which may hold a secret.
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  for (const error of document.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    problems.add('', `not valid YAML at line ${line}, column ${col}: ${error.message}`);
  }
  return document.errors.length > 0 ? undefined : document.toJS({ maxAliasCount: 100 });
}

/** JSON.parse, with its message cut before any quoted text (V8 quotes the input, which may hold a secret). */
function decodeJson(text: string, problems: SeedProblems): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message.startsWith('Unexpected token') ? 'unexpected token' : message.split(/ in JSON|, "/)[0] ?? '';
    problems.add('', `not valid JSON${position !== undefined ? ` at ${lineAndColumn(text, Number(position))}` : ''}: ${reason}`);
    return undefined;
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
