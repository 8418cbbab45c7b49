import type { SeedProblems } from './seed-file-error.js';

/** A rule for a string field: a pattern and the words that say what it wants. */
export interface StringRule {
  readonly pattern?: RegExp;
  /** What a valid value is, for the message (`12 digits`). */
  readonly shown?: string;
  readonly maxLength?: number;
}

/**
 * One mapping of a seed file (the file itself, an account, a key) read field by field. Every problem is
 * recorded with its path (`keys[2].spec`) instead of thrown, so that one run reports all of them; a reader
 * answers `undefined` for a field it refused. Unknown fields are problems: a misspelt `descripton` would
 * otherwise be dropped in silence.
 *
 * @example
 *   const key = SeedEntry.of(value, 'keys[0]', problems, ['id', 'spec']);
 *   const id = key?.string('id', { required: true, pattern: KEY_ID, shown: 'a UUID' });
 */
export class SeedEntry {
  private constructor(
    readonly path: string,
    readonly fields: Readonly<Record<string, unknown>>,
    readonly problems: SeedProblems,
  ) {}

  /** The entry, or undefined (a problem recorded) when `value` is not a mapping or has unknown fields. */
  static of(value: unknown, path: string, problems: SeedProblems, known: readonly string[]): SeedEntry | undefined {
    if (!isMapping(value)) {
      problems.add(path, `must be a mapping (fields: ${known.join(', ')}), not ${describe(value)}`);
      return undefined;
    }
    const unknown = Object.keys(value).filter((field) => !known.includes(field));
    for (const field of unknown) problems.add(join(path, field), `unknown field (known here: ${known.join(', ')})`);
    return new SeedEntry(path, value, problems);
  }

  /** The path of one of this entry's fields. */
  at(field: string): string {
    return join(this.path, field);
  }

  has(field: string): boolean {
    return this.fields[field] !== undefined && this.fields[field] !== null;
  }

  problem(field: string | undefined, reason: string): void {
    this.problems.add(field === undefined ? this.path : this.at(field), reason);
  }

  string(field: string, rule: StringRule & { required: true }): string | undefined;
  string(field: string, rule?: StringRule & { required?: false }): string | undefined;
  string(field: string, rule: StringRule & { required?: boolean } = {}): string | undefined {
    const value = this.fields[field];
    if (value === undefined || value === null) {
      if (rule.required) this.problem(field, `is required${rule.shown ? ` (${rule.shown})` : ''}`);
      return undefined;
    }
    if (typeof value !== 'string') {
      // YAML reads 000000000000 as the number 0 and 0123 as 123: the fix is quotes, so say so.
      const hint = typeof value === 'number' || typeof value === 'boolean' ? ' (put it in quotes)' : '';
      this.problem(field, `must be a string${rule.shown ? ` (${rule.shown})` : ''}, not ${describe(value)}${hint}`);
      return undefined;
    }
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      this.problem(field, `must be at most ${rule.maxLength} characters`);
      return undefined;
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      this.problem(field, `must be ${rule.shown ?? `shaped ${rule.pattern.source}`}`);
      return undefined;
    }
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.fields[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.problem(field, `must be true or false, not ${describe(value)}`);
    return fallback;
  }

  integer(field: string, bounds: { min: number; max: number }): number | undefined {
    const value = this.fields[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
      this.problem(field, `must be a whole number from ${bounds.min} to ${bounds.max}`);
      return undefined;
    }
    return value;
  }

  /** The items of a list field with their paths (`keys[0].aliases[1]`); empty when absent or refused. */
  list(field: string, bounds: { max: number }): Array<{ path: string; value: unknown }> {
    const value = this.fields[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(field, `must be a list, not ${describe(value)}`);
      return [];
    }
    if (value.length > bounds.max) {
      this.problem(field, `must have at most ${bounds.max} entries, not ${value.length}`);
      return [];
    }
    return value.map((item: unknown, index) => ({ path: `${this.at(field)}[${index}]`, value: item }));
  }

  /** A nested mapping field, or undefined when absent or refused. */
  child(field: string, known: readonly string[]): SeedEntry | undefined {
    const value = this.fields[field];
    if (value === undefined || value === null) return undefined;
    return SeedEntry.of(value, this.at(field), this.problems, known);
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, in a message: its kind, never its content (it may be a secret). */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}
