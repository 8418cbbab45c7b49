/**
 * `--quotas aws|off|FILE`: which request quotas a server applies. `aws` is AWS's table (quota-table.ts); `off`
 * applies none; FILE is AWS's table with single quotas overridden by a JSON or YAML file mapping quota names to
 * requests per second (docs/quotas.md):
 *
 *   # requests per second, per account and region
 *   CreateKey request rate: 1
 *   Cryptographic operations (symmetric): 50000   # " request rate" may be left out
 *
 * A rate may be fractional (0.1: one request in each 10 seconds) or 0 (every request throttled: for testing a
 * client's retries). The file is read once, at start; every entry is checked, and every bad one named.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AWS_REQUEST_QUOTAS, isQuotaName, quotaTable, type QuotaTable } from './quota-table.js';

export type QuotaSetting =
  | { readonly source: 'aws' }
  | { readonly source: 'off' }
  | { readonly source: 'file'; readonly path: string };

const SUFFIX = ' request rate';

/**
 * The setting a flag's (or `STRONGROOM_QUOTAS`'s) text names. Without one: `aws`, except in development mode,
 * where it is `off` as in the other KMS emulators (`--dev --quotas aws` turns AWS's quotas on).
 */
export function parseQuotaSetting(text: string | undefined, dev: boolean): QuotaSetting {
  const value = text ?? (dev ? 'off' : 'aws');
  if (value === 'aws' || value === 'off') return { source: value };
  if (value.trim() === '') throw new Error('invalid --quotas (aws, off, or a JSON or YAML file of overrides): an empty value');
  return { source: 'file', path: resolve(value) };
}

/** The table a setting puts in force; undefined when quotas are off. Rejects, naming the problem, on a bad file. */
export async function loadQuotaTable(setting: QuotaSetting): Promise<QuotaTable | undefined> {
  switch (setting.source) {
    case 'off':
      return undefined;
    case 'aws':
      return quotaTable();
    case 'file': {
      let text: string;
      try {
        text = await readFile(setting.path, 'utf8');
      } catch (error) {
        throw new Error(`cannot read the quota file ${setting.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      return quotaTable(parseQuotaOverrides(text, setting.path));
    }
  }
}

/**
 * The overrides a quota file holds, by AWS's full quota name. Throws one error naming every bad entry.
 * YAML is a superset of JSON, so one parser reads both.
 */
export function parseQuotaOverrides(text: string, fileName: string): Map<string, number> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new Error(`the quota file ${fileName} is neither JSON nor YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (document === null || document === undefined) return new Map();
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`the quota file ${fileName} must map quota names to requests per second, e.g. "CreateKey request rate: 1"`);
  }
  const overrides = new Map<string, number>();
  const problems: string[] = [];
  for (const [entry, value] of Object.entries(document)) {
    const name = isQuotaName(entry) ? entry : `${entry}${SUFFIX}`;
    if (!isQuotaName(name)) problems.push(`"${entry}" is not an AWS KMS request quota${suggestion(entry)}`);
    else if (overrides.has(name)) problems.push(`"${entry}" sets ${name} a second time`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`"${entry}": ${JSON.stringify(value) ?? String(value)} is not a number of requests per second (0 or more)`);
    } else overrides.set(name, value);
  }
  if (problems.length > 0) throw new Error(`invalid quota file ${fileName}:\n  ${problems.join('\n  ')}`);
  return overrides;
}

/** A hint for a name that differs from a quota's only in case or spacing. */
function suggestion(entry: string): string {
  const simplified = (name: string) => name.toLowerCase().replace(/\s+/g, '').replace(/requestrate$/, '');
  const near = AWS_REQUEST_QUOTAS.find((quota) => simplified(quota.name) === simplified(entry));
  return near ? ` (did you mean "${near.name}"?)` : ' (quota names are AWS\'s, e.g. "CreateKey request rate"; docs/quotas.md lists them)';
}
