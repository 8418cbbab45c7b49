import { createHash } from 'node:crypto';
import { InvalidNextTokenException } from '../errors.js';

/**
 * LookupEvents' NextToken: an opaque cursor (the time and row id of the last event returned) bound to the
 * query it was issued for. A token presented with other parameters is refused, as CloudTrail refuses it.
 * The token is not secret and not signed: editing it can only move the cursor, never widen the account scope,
 * which every query applies.
 */
export interface LookupCursor {
  readonly time: number;
  readonly id: number;
}

/** A short, stable fingerprint of the parameters a token must be used with. */
export function queryFingerprint(parameters: readonly (string | number)[]): string {
  return createHash('sha256').update(JSON.stringify(parameters)).digest('base64url').slice(0, 16);
}

export function encodeNextToken(cursor: LookupCursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, t: cursor.time, i: cursor.id, q: fingerprint }), 'utf8').toString('base64url');
}

/** The cursor of `token`; throws InvalidNextTokenException when malformed or issued for another query. */
export function decodeNextToken(token: string, fingerprint: string): LookupCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidNextTokenException();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidNextTokenException();
  const { v, t, i, q } = parsed as Record<string, unknown>;
  if (v !== 1 || !Number.isSafeInteger(t) || !Number.isSafeInteger(i) || q !== fingerprint) {
    throw new InvalidNextTokenException();
  }
  return { time: t as number, id: i as number };
}
