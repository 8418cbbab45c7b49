import { createHash, createHmac, randomBytes } from 'node:crypto';
import { InvalidGrantTokenException } from '../../errors.js';
import type { SecretBytes } from '../../crypto/secret-bytes.js';

/**
 * Grant tokens: opaque strings Strongroom issues with every CreateGrant.
 *
 * Layout (then base64url): `0x01 ‖ secret (32) ‖ nonce (16) ‖ key ARN (UTF-8)`. The secret is
 * HMAC-SHA256(grant-token key, key ARN ‖ 0x00 ‖ grant id) — the grant-token key is a random key kept only
 * wrapped by the root key — so the server can issue another token for the same grant (CreateGrant retried
 * by Name returns the same grant and, as AWS does, a new token), every token of a grant is interchangeable,
 * and the store keeps only SHA-256(secret): a copy of the database yields no usable token. The nonce makes
 * each token unique; the key ARN lets RetireGrant find the key a token belongs to.
 */
const VERSION = 0x01;
const SECRET_BYTES = 32;
const NONCE_BYTES = 16;
const HEADER_BYTES = 1 + SECRET_BYTES + NONCE_BYTES;
/** AWS's GrantTokenType allows up to 8192 characters; a key ARN is far shorter. */
const MAX_TOKEN_CHARS = 8192;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** A well-formed grant token: the key it names and the digest its grant is stored under. */
export interface ParsedGrantToken {
  readonly keyArn: string;
  readonly tokenHash: Buffer;
}

/** The per-grant secret every token of the grant carries. */
export function grantTokenSecret(tokenKey: SecretBytes, keyArn: string, grantId: string): Buffer {
  return createHmac('sha256', tokenKey.expose()).update(keyArn).update('\u0000').update(grantId).digest();
}

/** What the store keeps of a grant's tokens: SHA-256 of their secret. */
export function grantTokenHash(secret: Buffer): Buffer {
  return createHash('sha256').update(secret).digest();
}

/**
 * A new token for a grant.
 *
 * @example
 *   const token = issueGrantToken(grantTokenSecret(tokenKey, key.arn, grantId), key.arn);
 */
export function issueGrantToken(secret: Buffer, keyArn: string, nonce: Buffer = randomBytes(NONCE_BYTES)): string {
  if (secret.length !== SECRET_BYTES || nonce.length !== NONCE_BYTES) throw new RangeError('bad grant token parts');
  return Buffer.concat([Buffer.of(VERSION), secret, nonce, Buffer.from(keyArn, 'utf8')]).toString('base64url');
}

/** Parses a token a caller sent; anything Strongroom did not issue fails with InvalidGrantTokenException. */
export function parseGrantToken(token: string): ParsedGrantToken {
  if (token.length === 0 || token.length > MAX_TOKEN_CHARS) throw invalidGrantToken();
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token || bytes.length <= HEADER_BYTES || bytes[0] !== VERSION) {
    throw invalidGrantToken();
  }
  const keyArn = bytes.subarray(HEADER_BYTES).toString('utf8');
  if (!KEY_ARN.test(keyArn)) throw invalidGrantToken();
  return { keyArn, tokenHash: grantTokenHash(bytes.subarray(1, 1 + SECRET_BYTES)) };
}

/** The key ARN a token names, or undefined when the text is not a token Strongroom issued. */
export function keyArnOfGrantToken(token: string): string | undefined {
  try {
    return parseGrantToken(token).keyArn;
  } catch {
    return undefined;
  }
}

function invalidGrantToken(): InvalidGrantTokenException {
  return new InvalidGrantTokenException('Invalid grant token');
}
