import { performance } from 'node:perf_hooks';
import type { DevelopmentReset } from '../api/reset-endpoint.js';
import type { Logger } from '../observability/logger.js';
import { applySeed } from '../service/seeding/apply-seed.js';
import type { ServiceDependencies } from '../service/services.js';

export interface DevelopmentResetOptions {
  readonly deps: ServiceDependencies;
  /** The development account, whose root may call the signed reset route. */
  readonly developmentAccountId: string;
  /** The seed file the server started with (`--seed`): read and applied again after every reset. */
  readonly seedFile?: string;
  readonly log: Logger;
}

/**
 * Development mode's reset of a node (docs/development-mode.md#resetting-state): the store's `clearState` — after
 * which every process's caches of key data are cleared through `Store.onStateCleared` — then, when the server
 * started with a seed file, that file read again and applied, so the known keys are back (with the same material
 * when the file gives it). The file is read at each reset rather than kept: the secrets it holds stay in memory
 * only while they are applied, as at start.
 *
 * A seed file that no longer applies (changed since the start) fails the reset request after the state was
 * cleared; the error is in the server log.
 *
 * @example
 *   new App({ ..., developmentReset: developmentReset({ deps, developmentAccountId: '000000000000', log }) });
 */
export function developmentReset(options: DevelopmentResetOptions): DevelopmentReset {
  const { deps, seedFile, log } = options;
  return {
    developmentAccountId: options.developmentAccountId,
    async reset() {
      const started = performance.now();
      const cleared = await deps.store.clearState();
      const clearedMs = performance.now() - started;
      if (seedFile !== undefined) {
        const { readSeedFile } = await import('../service/seeding/parse-seed-file.js'); // loaded on first use only
        const seed = await readSeedFile(seedFile);
        try {
          await applySeed(deps, seed);
        } finally {
          seed.wipe();
        }
      }
      log.info('development-state-reset', {
        ...cleared,
        clearedMs: Math.round(clearedMs * 10) / 10,
        reseeded: seedFile !== undefined,
        totalMs: Math.round((performance.now() - started) * 10) / 10,
      });
      return { cleared, reseeded: seedFile !== undefined };
    },
  };
}
