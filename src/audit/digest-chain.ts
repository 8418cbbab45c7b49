import type { KeyObject } from 'node:crypto';
import { isAuthenticDigest, type Digest, type RetentionMarker } from './digest.js';
import { GENESIS_HASH, sha256 } from './record-hash.js';
import type { ReportProblem } from './verify-writer.js';

/*
 * A writer's digest chain, followed from any point: from its retention marker (or the genesis) by `audit verify`,
 * from where its previous check left it by the chain watch (chain-watch.ts). Digest format: docs/audit-trail.md.
 */

/** Where a writer's digest chain stands: what the next digest must start at and chain from. */
export interface DigestChainHead {
  /** The first seq the next digest must seal (one past the sealed part). */
  readonly nextFromSeq: number;
  /** SHA-256 of the last accepted digest's signature (or the marker's, or zeros): the next one must name it. */
  readonly prevSignatureHash: Buffer;
  /** The last accepted digest's signature: a verbatim copy of it is harmless. */
  readonly lastSignature: Buffer | undefined;
  /** The previous digest failed its signature: a break in the chain right after it is not reported twice. */
  readonly afterBadDigest: boolean;
}

/** The start of a writer's chain: right after its retention marker, or the genesis when nothing was removed. */
export function chainStartOf(marker: RetentionMarker | undefined): { readonly seq: number; readonly hash: Buffer; readonly digests: DigestChainHead } {
  const seq = marker?.throughSeq ?? 0;
  return {
    seq,
    hash: marker?.lastHash ?? GENESIS_HASH,
    digests: { nextFromSeq: seq + 1, prevSignatureHash: marker?.lastSignatureHash ?? GENESIS_HASH, lastSignature: undefined, afterBadDigest: false },
  };
}

/**
 * Follows a writer's digests (in seq order) from `head`: reports those whose signature fails and breaks in the
 * digest chain (a removed digest, a broken `prevSignatureHash`), and records in `sealed` the hash every sealed seq
 * must have. Returns where the digest chain then stands.
 */
export function followDigests(
  publicKey: KeyObject, head: DigestChainHead, digests: Iterable<Digest>, sealed: Map<number, Buffer>, report: ReportProblem,
): DigestChainHead {
  let expectedFrom = head.nextFromSeq;
  let expectedPrevSignature = head.prevSignatureHash;
  let lastAccepted = head.lastSignature;
  let afterBadDigest = head.afterBadDigest;
  for (const digest of digests) {
    if (!isAuthenticDigest(publicKey, digest)) {
      report(digest.toSeq, 'bad-digest', `the digest of records ${digest.fromSeq}..${digest.toSeq} does not verify`);
      afterBadDigest = true;
      continue;
    }
    if (lastAccepted?.equals(digest.signature) === true) continue; // a verbatim copy is harmless
    const outOfChain = digest.fromSeq !== expectedFrom || !digest.prevSignatureHash.equals(expectedPrevSignature);
    if (outOfChain && !afterBadDigest) {
      const detail = digest.fromSeq > expectedFrom
        ? `no digest seals records ${expectedFrom}..${digest.fromSeq - 1} (a digest was removed)`
        : 'the digest chain is broken before this digest';
      report(expectedFrom, 'bad-digest', detail);
    }
    if (!sealed.has(digest.fromSeq - 1)) sealed.set(digest.fromSeq - 1, digest.firstPrevHash);
    for (let seq = digest.fromSeq; seq <= digest.toSeq; seq += 1) {
      const offset = (seq - digest.fromSeq) * 32;
      sealed.set(seq, digest.recordHashes.subarray(offset, offset + 32));
    }
    expectedFrom = Math.max(expectedFrom, digest.toSeq + 1);
    expectedPrevSignature = sha256(digest.signature);
    lastAccepted = digest.signature;
    afterBadDigest = false;
  }
  return { nextFromSeq: expectedFrom, prevSignatureHash: expectedPrevSignature, lastSignature: lastAccepted, afterBadDigest };
}
