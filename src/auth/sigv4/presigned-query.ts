import type { SignatureClaim } from './claimed-signature.js';
import { incompleteQueryParameters, malformedExpires } from './failures.js';

/** Presigned URLs may be valid for at most a week, as at AWS. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

const REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape: the signature check will fail on it
  }
}

/** True when the raw query string has a parameter named exactly `name` (cheap: no parsing unless it may). */
export function hasQueryParameter(rawQuery: string, name: string): boolean {
  let at = rawQuery.indexOf(name);
  while (at !== -1) {
    const after = rawQuery.charCodeAt(at + name.length);
    const startsParameter = at === 0 || rawQuery.charCodeAt(at - 1) === 38; /* & */
    if (startsParameter && (Number.isNaN(after) || after === 61 /* = */ || after === 38)) return true;
    at = rawQuery.indexOf(name, at + 1);
  }
  return false;
}

/** The decoded parameters of a raw query string; of a repeated name, the first value. */
function decodeParameters(rawQuery: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decode(equals === -1 ? part : part.slice(0, equals));
    if (!parameters.has(name)) parameters.set(name, equals === -1 ? '' : decode(part.slice(equals + 1)));
  }
  return parameters;
}

function readExpires(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw malformedExpires('not-a-number');
  const seconds = Number(text);
  if (seconds < 0) throw malformedExpires('negative');
  if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS) throw malformedExpires('too-long');
  return seconds;
}

/**
 * The signature claim of a presigned URL (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-SignedHeaders`,
 * `X-Amz-Signature`, `X-Amz-Date`, optional `X-Amz-Expires` and `X-Amz-Security-Token`).
 * Without X-Amz-Expires the ordinary clock-skew window applies.
 */
export function readPresignedQuery(rawQuery: string): SignatureClaim {
  const parameters = decodeParameters(rawQuery);
  const missing = REQUIRED.filter((name) => !parameters.get(name));
  if (missing.length > 0) throw incompleteQueryParameters(missing);
  const expiresSeconds = readExpires(parameters.get('X-Amz-Expires'));
  const sessionToken = parameters.get('X-Amz-Security-Token');
  return {
    algorithm: parameters.get('X-Amz-Algorithm')!,
    credential: parameters.get('X-Amz-Credential')!,
    signedHeaders: parameters.get('X-Amz-SignedHeaders')!,
    signature: parameters.get('X-Amz-Signature')!,
    date: { text: parameters.get('X-Amz-Date')!, source: 'x-amz-date' },
    presigned: true,
    ...(expiresSeconds !== undefined ? { expiresSeconds } : {}),
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}
