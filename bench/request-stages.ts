import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The stages of a request that issue #19's table reports, by the source file a frame of Strongroom's code is in
 * (first match wins). Used by the two readers of profiles: bench/cpu-profile-stages.ts (`node --cpu-prof`) and
 * bench/perf-stages.ts (`perf record`).
 */
export const STAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/src\/auth\/sigv4\//, 'SigV4 verify'],
  [/src\/auth\/(authenticator|credential-resolver|access-keys|caller)\.ts/, 'authentication (access key lookup)'],
  [/src\/auth\//, 'authorization (policy, grants)'],
  [/src\/store\/|src\/service\/key-(resolution|materials|reference)\.ts|src\/keys\/(material-cache|bounded-cache)\.ts|better-sqlite3/, 'key lookup + caches'],
  [/src\/crypto\/|src\/service\/(symmetric-encryption|encryption)\.ts/, 'AES-GCM, ciphertext blob'],
  [/src\/audit\/(group-commit|writer-chain|record-hash|journal|journal-audit-store|audit-log|digest)\.ts/, 'audit: chain hash, journal write'],
  [/src\/audit\/(journal-import|indexer-worker|chain-watch|audit-database|background-indexer|verify-writer|digest-chain)\.ts/, 'audit: indexing'],
  [/src\/audit\/|src\/server\/audit\//, 'audit: record build (event, redaction)'],
  [/src\/api\/http\/json-wire\.ts|src\/api\/validation\/|src\/api\/generated\//, 'JSON, base64, validation'],
  [/src\/api\/http\//, 'HTTP (server glue, response write)'],
  [/src\/observability\//, 'logging, metrics'],
  [/src\/service\/quotas\//, 'quotas'],
  [/src\//, 'pipeline (routing, facts, operation)'],
];

/** Time with no Strongroom frame on the stack: node's HTTP parser and socket code, timers, the event loop. */
export const NODE_INTERNALS = 'HTTP and node internals';

/** The stage of a source file (a path or URL), or undefined when it is none of Strongroom's. */
export function stageOfSource(source: string): string | undefined {
  return STAGES.find(([pattern]) => pattern.test(source))?.[1];
}

/** The original source file of a position in a bundled file (`file://` URL, 0-based line and column). */
export class SourceFiles {
  readonly #maps = new Map<string, SourceMap | undefined>();

  sourceOf(url: string, line: number, column: number): string | undefined {
    if (!url.startsWith('file://')) return undefined;
    const map = this.#mapOf(url);
    if (map === undefined) return fileURLToPath(url);
    const entry = map.findEntry(line, column) as { originalSource?: string };
    return entry.originalSource ?? fileURLToPath(url);
  }

  #mapOf(url: string): SourceMap | undefined {
    if (!this.#maps.has(url)) {
      let map: SourceMap | undefined;
      try {
        const path = fileURLToPath(url);
        const comment = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(path, 'utf8'));
        if (comment?.[1] !== undefined) map = new SourceMap(JSON.parse(readFileSync(join(dirname(path), comment[1]), 'utf8')));
      } catch {
        map = undefined;
      }
      this.#maps.set(url, map);
    }
    return this.#maps.get(url);
  }
}
