import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { runProcess } from './processes.js';
import { wrkAvailable, wrkLoad } from './wrk-load.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** `BENCH_LOAD_GENERATOR=node` forces the Node generator (autocannon); otherwise wrk when it can be had. */
const useWrk = process.env['BENCH_LOAD_GENERATOR'] !== 'node' && wrkAvailable();

/** Which load generator this run uses, for the report's header. */
export const LOAD_GENERATOR = useWrk ? 'wrk (1 thread)' : 'autocannon (Node, in its own process)';

/**
 * Drives one endpoint with keep-alive connections replaying a signed request and returns what it measured. wrk is
 * preferred: a Node generator takes a large share of the two cores the server is measured on (issue #19).
 */
export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  if (useWrk) return wrkLoad(spec);
  return JSON.parse(await runProcess(join(here, 'load-generator.js'), JSON.stringify(spec))) as LoadResult;
}
