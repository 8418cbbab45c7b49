// A module of its own because verify.ts (the report) and verify-writer.ts (the chain rules that find the
// problems) both name it; declared in verify.ts, which imports verify-writer.ts, it made an import cycle.

/**
 * What verification can find:
 * - `altered`: a record's content (or its lookup columns) is not what was written;
 * - `removed`: a record is missing (a gap in seq, or a sealed record absent);
 * - `inserted`: an extra record (a duplicated seq, or a record whose prevHash links wrongly);
 * - `reordered`: a genuine record at the wrong place in its chain;
 * - `bad-digest`: a digest or retention marker whose signature fails, or a digest missing from the digest chain;
 * - `unsealed-tail`: records no digest seals yet (a writer still running, or one that crashed). Not tampering,
 *   and not failing `ok`, but the tail is only as strong as an unkeyed hash chain.
 */
export type ProblemKind = 'altered' | 'removed' | 'inserted' | 'reordered' | 'bad-digest' | 'unsealed-tail';
