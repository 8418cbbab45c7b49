import { formatAmzDate, parseAmzDate, parseHttpDate } from './amz-date.js';
import type { SignatureClaim } from './claimed-signature.js';
import { malformedDate, signatureExpired, signatureNotYetCurrent } from './failures.js';

/** When the request says it was signed. */
export interface SigningTime {
  /** `YYYYMMDDTHHMMSSZ`, the form the string to sign carries (a `Date` header is converted to it). */
  readonly amzDate: string;
  /** Epoch milliseconds. */
  readonly signedAt: number;
}

/** Reads the claim's timestamp or throws AWS's `IncompleteSignatureException`. */
export function readSigningTime(claim: SignatureClaim): SigningTime {
  const { text, source } = claim.date;
  const signedAt = source === 'x-amz-date' ? parseAmzDate(text) : parseHttpDate(text);
  if (signedAt === undefined) throw malformedDate(text);
  return { amzDate: source === 'x-amz-date' ? text : formatAmzDate(signedAt), signedAt };
}

/** `5 min.` / `900 sec.`: how AWS writes the window in its messages. */
function describeWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min.` : `${Math.round(ms / 1000)} sec.`;
}

export interface FreshnessRules {
  readonly now: number;
  /** How far the signing time may be from `now`, either way (AWS: 5 minutes). */
  readonly maxSkewMs: number;
  /** Presigned URLs: valid this long after signing, instead of the skew window into the past. */
  readonly expiresSeconds?: number | undefined;
}

/**
 * Throws AWS's `InvalidSignatureException` when the signature is too old (replay protection) or too far
 * in the future. The window's edges are still inside it.
 */
export function checkFreshness(signedAt: number, rules: FreshnessRules): void {
  const { now, maxSkewMs } = rules;
  const pastWindowMs = rules.expiresSeconds !== undefined ? rules.expiresSeconds * 1000 : maxSkewMs;
  if (signedAt < now - pastWindowMs) {
    throw signatureExpired(signedAt, now, pastWindowMs, describeWindow(pastWindowMs));
  }
  if (signedAt > now + maxSkewMs) throw signatureNotYetCurrent(signedAt, now, maxSkewMs, describeWindow(maxSkewMs));
}
