import { readFileSync } from 'node:fs';
import { fromShared } from '../../support/shared.js';

/** One Wycheproof test case; fields beyond these differ per schema and are read by each test. */
export interface WycheproofCase {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly [field: string]: unknown;
}

export interface WycheproofGroup {
  readonly tests: readonly WycheproofCase[];
  readonly [field: string]: unknown;
}

export interface WycheproofFile {
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup[];
}

/**
 * Locates `../shared/vectors/wycheproof/<name>`; `load()` parses it. Use `skip` as the test's skip option
 * (it is `false` whenever the file exists, and the run fails instead under STRONGROOM_REQUIRE_SHARED=1).
 */
export function wycheproof(name: string): { skip: string | false; load: () => WycheproofFile } {
  const located = fromShared(`vectors/wycheproof/${name}`);
  return {
    skip: located.skip,
    load: () => JSON.parse(readFileSync(located.path, 'utf8')) as WycheproofFile,
  };
}

/** A string field of a case or group, as bytes (Wycheproof writes byte strings in hex). */
export function hexField(record: { readonly [field: string]: unknown }, field: string): Buffer {
  const value = record[field];
  if (typeof value !== 'string') throw new Error(`Wycheproof field ${field} is not a string`);
  return Buffer.from(value, 'hex');
}

/** Tallies outcomes per Wycheproof result, so tests can assert exact counts (nothing silently skipped). */
export class OutcomeTally {
  readonly counts = new Map<string, number>();

  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  toObject(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
