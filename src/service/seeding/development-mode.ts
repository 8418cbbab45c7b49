import type { ServiceDependencies } from '../services.js';

/**
 * The services of a node started with `--dev`. Development mode adds LocalStack's conventions to CreateKey
 * (`localstack-tags.ts`); the flag travels with the services, so the operation that needs it asks them
 * rather than a global.
 */
export interface DevelopmentModeDependencies extends ServiceDependencies {
  readonly developmentMode: true;
}

/**
 * The services, marked as a development-mode node's when `on` (what `openNode` does for `--dev`).
 * @example const deps = withDevelopmentMode(services, options.devAccountId !== undefined);
 */
export function withDevelopmentMode(deps: ServiceDependencies, on: boolean): ServiceDependencies {
  if (!on) return deps;
  const marked: DevelopmentModeDependencies = { ...deps, developmentMode: true };
  return marked;
}

/** Whether the services are a development-mode node's (copies made with `{ ...deps }` keep the mark). */
export function inDevelopmentMode(deps: ServiceDependencies): deps is DevelopmentModeDependencies {
  return 'developmentMode' in deps && deps.developmentMode === true;
}
