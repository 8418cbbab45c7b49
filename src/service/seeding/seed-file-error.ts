/** One thing wrong with a seed file, or with applying it: the entry's path in the file and why. */
export interface SeedProblem {
  /** `keys[2].material`, `accounts[0].accessKeys[1]`, or empty for the file as a whole. */
  readonly path: string;
  readonly reason: string;
}

/** At most this many problems are listed; a file with more has one mistake repeated, or is not a seed file. */
const LISTED_PROBLEMS = 20;

/**
 * A seed file that cannot be applied, with every problem found, each naming its entry:
 * `seed.yaml: keys[2].material: not a PEM private key of spec ECC_SECG_P256K1`. Nothing was applied.
 * Reasons never quote a secret (no material, no secret access key).
 */
export class SeedFileError extends Error {
  readonly problems: readonly SeedProblem[];

  constructor(source: string, problems: readonly SeedProblem[]) {
    const lines = problems.slice(0, LISTED_PROBLEMS).map((problem) => `${source}: ${problem.path ? `${problem.path}: ` : ''}${problem.reason}`);
    if (problems.length > LISTED_PROBLEMS) lines.push(`${source}: ... and ${problems.length - LISTED_PROBLEMS} more`);
    super(`the seed file cannot be applied, nothing was changed:\n  ${lines.join('\n  ')}`);
    this.name = 'SeedFileError';
    this.problems = problems;
  }
}

/** Problems collected while reading or planning, thrown together so a person fixes them in one go. */
export class SeedProblems {
  readonly #problems: SeedProblem[] = [];

  add(path: string, reason: string): void {
    this.#problems.push({ path, reason });
  }

  get empty(): boolean {
    return this.#problems.length === 0;
  }

  /** @throws SeedFileError listing every problem, when there is one. */
  throwIfAny(source: string): void {
    if (!this.empty) this.fail(source);
  }

  /** @throws SeedFileError listing every problem (there must be one). */
  fail(source: string): never {
    throw new SeedFileError(source, this.#problems);
  }
}
