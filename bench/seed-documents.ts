import { SEED_FILE_MAX_KEYS } from '../src/service/seeding/parse-seed-file.js';

/**
 * Seed documents (JSON, docs/seeding.md) that create `keyIds` in `account` (us-east-1), as many as the limit of keys
 * per file needs; the first also gives the account `accessKeys` (none: the account must exist already).
 *
 * @example
 *   for (const text of seedDocuments('111122223333', keyIds)) await applySeed(deps, parseSeedText(text, 'bench', 'json'));
 */
export function seedDocuments(
  account: string,
  keyIds: readonly string[],
  accessKeys: ReadonlyArray<{ readonly accessKeyId: string; readonly secretAccessKey: string }> = [],
): string[] {
  const documents: string[] = [];
  for (let from = 0; from < keyIds.length; from += SEED_FILE_MAX_KEYS) {
    documents.push(JSON.stringify({
      version: 1,
      defaults: { account, region: 'us-east-1' },
      ...(accessKeys.length > 0 ? { accounts: [{ id: account, accessKeys }] } : {}),
      keys: keyIds.slice(from, from + SEED_FILE_MAX_KEYS).map((id) => ({ id })),
    }));
  }
  return documents;
}
