import type { KmsKey } from '../../keys/key.js';
import { evictLeastRecentlyUsed } from '../../keys/least-recently-used.js';
import { CacheCounter, type CacheCounts } from '../../observability/cache-counter.js';
import { readWithoutGrants } from '../../store/key-read-along.js';
import type { Grant, GrantRepository } from '../../store/store.js';
import type { GrantForEvaluation, GrantOperation, RequestPrincipal } from '../policy/index.js';
import { parseGrantToken } from './grant-token.js';

const NO_GRANTS: readonly Grant[] = Object.freeze([]);

interface CachedGrants {
  readonly revision: number;
  /** With the revision, which key this is: one deleted and made again with the same id starts at revision 1. */
  readonly createdAt: number;
  readonly grants: readonly Grant[];
}

/**
 * A key's grants, cached per process by the key's revision. The key record is read on every request anyway,
 * and every grant change advances the key's revision in the same transaction (GrantRepository), so a cached
 * list is used only while it is exactly what the store holds — a grant created or revoked by another process
 * or node applies to the next request. A key without grants costs nothing when its backend said so with the key
 * (key-read-along.ts), otherwise one indexed query per revision.
 *
 * @example
 *   const grants = await cache.grantsOf(key); // [] for most keys, without touching the store again
 */
export class KeyGrantCache {
  readonly #entries = new Map<string, CachedGrants>();
  /** How many times `clear` ran: a load that began before a clear is not kept. */
  #clears = 0;
  readonly #counts = new CacheCounter();

  constructor(
    private readonly repository: GrantRepository,
    private readonly capacity = 10_000,
  ) {}

  /** Keys whose grants were answered from memory (hits) or read from the store (misses), for `/metrics`. */
  get counts(): CacheCounts {
    return this.#counts;
  }

  async grantsOf(key: KmsKey): Promise<readonly Grant[]> {
    if (readWithoutGrants(key)) {
      this.#counts.hits++; // the store said so with the key, in the same read (key-read-along.ts)
      return NO_GRANTS;
    }
    const cached = this.#entries.get(key.arn);
    if (cached !== undefined && cached.revision === key.revision && cached.createdAt === key.createdAt) {
      this.#counts.hits++;
      return cached.grants;
    }
    this.#counts.misses++;
    const clears = this.#clears;
    const grants = Object.freeze(await this.repository.listAll(key.arn));
    // A slower concurrent load of an older revision must not replace a newer one, nor a load begun before `clear`.
    const current = this.#entries.get(key.arn);
    if (clears === this.#clears && (current === undefined || current.createdAt !== key.createdAt || current.revision <= key.revision)) {
      this.#entries.delete(key.arn);
      this.#entries.set(key.arn, { revision: key.revision, createdAt: key.createdAt, grants });
      evictLeastRecentlyUsed(this.#entries, this.capacity);
    }
    return grants;
  }

  /** Forgets every key's grants (development mode's reset: keys come back with the same ids, at revision 1). */
  clear(): void {
    this.#entries.clear();
    this.#clears += 1;
  }
}

/**
 * The grants a request's GrantTokens name on `key`. Every token must be one Strongroom issued
 * (InvalidGrantTokenException otherwise); a token of a grant since retired, or of another key, adds nothing.
 */
export async function grantsOfTokens(repository: GrantRepository, tokens: unknown, key: KmsKey): Promise<Grant[]> {
  if (!Array.isArray(tokens) || tokens.length === 0) return [];
  const found: Grant[] = [];
  for (const token of tokens) {
    if (typeof token !== 'string') continue;
    const parsed = parseGrantToken(token);
    if (parsed.keyArn !== key.arn) continue;
    const grant = await repository.findByTokenHash(parsed.tokenHash);
    if (grant !== undefined && grant.keyArn === key.arn) found.push(grant);
  }
  return found;
}

/** Whether `grant` names the caller as its grantee (a role grantee covers the role's sessions). */
export function isGrantee(grant: Grant, principal: RequestPrincipal): boolean {
  return grant.granteePrincipal === principal.arn || (principal.roleArn !== undefined && grant.granteePrincipal === principal.roleArn);
}

/** Whether the caller is the grant's retiring principal (a role covers its sessions, an account its root). */
export function isRetiringPrincipal(grant: Grant, principal: RequestPrincipal): boolean {
  const retiring = grant.retiringPrincipal;
  return retiring !== undefined && (retiring === principal.arn || retiring === principal.roleArn);
}

/** The caller's grants in the policy engine's form, without duplicates (a token may name a listed grant). */
export function grantsForEvaluation(grants: readonly Grant[], principal: RequestPrincipal): GrantForEvaluation[] {
  const seen = new Set<string>();
  const result: GrantForEvaluation[] = [];
  for (const grant of grants) {
    if (seen.has(grant.grantId) || !isGrantee(grant, principal)) continue;
    seen.add(grant.grantId);
    result.push({
      id: grant.grantId,
      operations: grant.operations as readonly GrantOperation[],
      ...(grant.constraints === undefined ? {} : { constraints: grant.constraints }),
    });
  }
  return result;
}
