import { XksUnsupportedOperationException, XksValidationException } from './xks-errors.js';
import type { XksRequestMetadata } from '../xks-wire.js';

/**
 * Reading the JSON bodies of the four calls, each member checked as the specification states it. Messages name the
 * member and the rule, never a value (a value may be plaintext, or a secret of the caller's).
 */

/** ARNs up to 2048 characters must be accepted; no `requestMetadata` string may be longer. */
const MAX_METADATA_STRING = 2048;

/** The body as a JSON object, or `ValidationException`. */
export function xksRequestBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new XksValidationException('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new XksValidationException('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

const METADATA_FIELDS = [
  'awsPrincipalArn', 'awsSourceVpc', 'awsSourceVpce', 'kmsKeyArn', 'kmsOperation', 'kmsRequestId', 'kmsViaService',
] as const satisfies ReadonlyArray<keyof XksRequestMetadata>;

type MetadataField = (typeof METADATA_FIELDS)[number];

/**
 * The `requestMetadata` object: every field the specification names, as strings, `required` ones present. Fields it
 * does not name yet are ignored (Appendix B: KMS may add some), and `kmsOperation` is never judged by its value
 * ("The XKS Proxy MUST NOT reject a request as invalid if it sees a kmsOperation other than those listed").
 */
export function requestMetadataOf(body: Record<string, unknown>, required: readonly MetadataField[]): XksRequestMetadata {
  const metadata = body['requestMetadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new XksValidationException('requestMetadata is required and must be an object.');
  }
  const fields: Partial<Record<MetadataField, string>> = {};
  for (const field of METADATA_FIELDS) {
    const value = (metadata as Record<string, unknown>)[field];
    if (value === undefined) {
      if (required.includes(field)) throw new XksValidationException(`requestMetadata.${field} is required.`);
      continue;
    }
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_METADATA_STRING) {
      throw new XksValidationException(`requestMetadata.${field} must be a string of 1 to ${MAX_METADATA_STRING} characters.`);
    }
    fields[field] = value;
  }
  return fields as XksRequestMetadata;
}

/** Standard Base64 (RFC 4648 section 4) with its padding; the lenient decoder of node would accept anything. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** How a binary member's size is bounded: within `[min, max]`, with the answer the specification gives above `max`. */
export interface BinaryBounds {
  readonly min: number;
  readonly max: number;
  /**
   * `unsupported`: a size the specification only requires up to (4300 bytes of plaintext, 8192 of AAD) — beyond it,
   * UnsupportedOperationException ("a parameter value exceeded the maximum size that is currently supported");
   * `invalid`: a size the specification fixes (IV, tag, metadata) — ValidationException.
   */
  readonly above: 'unsupported' | 'invalid';
}

/** A required Base64 member, decoded and its size checked. */
export function requiredBinary(body: Record<string, unknown>, member: string, bounds: BinaryBounds): Buffer {
  const value = optionalBinary(body, member, bounds);
  if (value === undefined) throw new XksValidationException(`${member} is required.`);
  return value;
}

/** An optional Base64 member, decoded and its size checked; absent stays undefined. */
export function optionalBinary(body: Record<string, unknown>, member: string, bounds: BinaryBounds): Buffer | undefined {
  const value = body[member];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !BASE64.test(value)) throw new XksValidationException(`${member} must be a Base64 string.`);
  // Checked before decoding: a huge member costs nothing.
  const size = (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
  if (size > bounds.max) {
    throw bounds.above === 'unsupported'
      ? new XksUnsupportedOperationException(`${member} is longer than the ${bounds.max} bytes this proxy supports.`)
      : new XksValidationException(`${member} must be at most ${bounds.max} bytes.`);
  }
  if (size < bounds.min) throw new XksValidationException(`${member} must be at least ${bounds.min} bytes.`);
  return Buffer.from(value, 'base64');
}

/** `encryptionAlgorithm`: required; version 1 has only `AES_GCM`, any other is an operation not implemented. */
export function encryptionAlgorithmOf(body: Record<string, unknown>): 'AES_GCM' {
  const algorithm = body['encryptionAlgorithm'];
  if (typeof algorithm !== 'string') throw new XksValidationException('encryptionAlgorithm is required and must be a string.');
  if (algorithm !== 'AES_GCM') throw new XksUnsupportedOperationException('The only encryptionAlgorithm supported is AES_GCM.');
  return algorithm;
}

/** `ciphertextDataIntegrityValueAlgorithm`: optional; version 1 has only `SHA_256`. */
export function cdivAlgorithmOf(body: Record<string, unknown>): 'SHA_256' | undefined {
  const algorithm = body['ciphertextDataIntegrityValueAlgorithm'];
  if (algorithm === undefined) return undefined;
  if (typeof algorithm !== 'string') throw new XksValidationException('ciphertextDataIntegrityValueAlgorithm must be a string.');
  if (algorithm !== 'SHA_256') {
    throw new XksUnsupportedOperationException('The only ciphertextDataIntegrityValueAlgorithm supported is SHA_256.');
  }
  return algorithm;
}
