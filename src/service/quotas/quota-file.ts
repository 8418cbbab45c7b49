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
import { quotaTable, type QuotaTable } from './quota-table.js';

export type QuotaSetting =
  | { readonly source: 'aws' }
  | { readonly source: 'off' }
  | { readonly source: 'file'; readonly path: string };

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
      // Loaded only here: the YAML parser costs every serving process ~50 ms at start (ADR 0011).
      const { parseQuotaOverrides } = await import('./quota-overrides.js');
      return quotaTable(parseQuotaOverrides(text, setting.path));
    }
  }
}
