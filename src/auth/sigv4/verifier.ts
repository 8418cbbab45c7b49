import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  UnrecognizedClientException,
} from '../../errors.js';
import { buildCanonicalRequest, buildStringToSign, sha256Hex, type RequestToCanonicalize } from './canonical-request.js';
import { readSignatureParameters, type SignatureParameters } from './signature-parameters.js';
import { SigningKeyCache } from './signing-key.js';

export interface HttpRequestToVerify extends RequestToCanonicalize {
  readonly body: Buffer;
}

/** Finds the secret of an access key (undefined when unknown); may consult a store. */
export type SigningSecretLookup = (
  accessKeyId: string,
) => Promise<SecretBytes | undefined> | SecretBytes | undefined;

export interface VerifiedSignature {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
  /** Epoch milliseconds of the request's X-Amz-Date. */
  readonly signedAt: number;
  readonly sessionToken?: string;
}

export interface SigV4VerifierOptions {
  /** The service name the credential scope must carry (`kms`, `sts`, ...). */
  readonly service: string;
  readonly now?: () => number;
  /** How far the request time may be from the server's clock: AWS allows 5 minutes. */
  readonly maxSkewMs?: number;
  readonly cacheSize?: number;
  /** AWS services other than S3 encode the received path once more; false decodes it first instead. */
  readonly doubleEncodePath?: boolean;
}

const INVALID_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Parses `YYYYMMDDTHHMMSSZ` into epoch milliseconds. */
export function parseAmzDate(amzDate: string): number {
  return Date.UTC(
    Number(amzDate.slice(0, 4)),
    Number(amzDate.slice(4, 6)) - 1,
    Number(amzDate.slice(6, 8)),
    Number(amzDate.slice(9, 11)),
    Number(amzDate.slice(11, 13)),
    Number(amzDate.slice(13, 15)),
  );
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Verifies AWS Signature Version 4 on requests for one service: the signature over the canonical request
 * (with the payload hash of the body actually received), the credential scope, the clock skew window and,
 * for presigned URLs, the expiry. The comparison is constant-time; signing keys are cached.
 *
 * @example
 *   const verifier = createSigV4Verifier({ service: 'kms' });
 *   const { accessKeyId, region } = await verifier.verify(request, (id) => secrets.get(id));
 */
export function createSigV4Verifier(options: SigV4VerifierOptions) {
  const now = options.now ?? Date.now;
  const maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  const signingKeys = new SigningKeyCache(options.cacheSize);

  function checkScopeAndTime(parameters: SignatureParameters): number {
    if (parameters.service !== options.service) {
      throw new IncompleteSignatureException(
        `Credential should be scoped to correct service: '${options.service}'. `,
      );
    }
    if (parameters.scopeDate !== parameters.amzDate.slice(0, 8)) {
      throw new InvalidSignatureException(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
          `'${parameters.scopeDate}' != '${parameters.amzDate.slice(0, 8)}', from '${parameters.amzDate}'.`,
      );
    }
    const signedAt = parseAmzDate(parameters.amzDate);
    const current = now();
    if (parameters.presigned) {
      if (current > signedAt + (parameters.expiresSeconds ?? 0) * 1000) {
        throw new InvalidSignatureException('Signature expired: the presigned request has expired.');
      }
    } else if (signedAt < current - maxSkewMs) {
      throw new InvalidSignatureException(
        `Signature expired: ${parameters.amzDate} is now earlier than ${formatAmzDate(current - maxSkewMs)} ` +
          `(${formatAmzDate(current)} - 5 min.)`,
      );
    } else if (signedAt > current + maxSkewMs) {
      throw new InvalidSignatureException(
        `Signature not yet current: ${parameters.amzDate} is still later than ${formatAmzDate(current + maxSkewMs)} ` +
          `(${formatAmzDate(current)} + 5 min.)`,
      );
    }
    return signedAt;
  }

  async function verify(request: HttpRequestToVerify, lookup: SigningSecretLookup): Promise<VerifiedSignature> {
    const parameters = readSignatureParameters(request.headers, request.query);
    const signedAt = checkScopeAndTime(parameters);
    const secret = await lookup(parameters.accessKeyId);
    if (!secret) throw new UnrecognizedClientException('The security token included in the request is invalid.');

    const payloadHash = sha256Hex(request.body);
    const declaredHash = request.headers['x-amz-content-sha256'];
    if (typeof declaredHash === 'string' && declaredHash !== payloadHash && declaredHash !== 'UNSIGNED-PAYLOAD') {
      throw new InvalidSignatureException(INVALID_SIGNATURE);
    }
    const canonicalRequest = buildCanonicalRequest(
      request,
      parameters.signedHeaders,
      payloadHash,
      {
        doubleEncodePath: options.doubleEncodePath ?? true,
        ...(parameters.presigned ? { omitQueryParameter: 'X-Amz-Signature' } : {}),
      },
    );
    const scope = `${parameters.scopeDate}/${parameters.region}/${parameters.service}/aws4_request`;
    const stringToSign = buildStringToSign(parameters.amzDate, scope, canonicalRequest);
    const key = signingKeys.get(parameters.accessKeyId, secret, parameters.scopeDate, parameters.region, parameters.service);
    const expected = createHmac('sha256', key).update(stringToSign).digest();
    const presented = Buffer.from(parameters.signature, 'hex');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new InvalidSignatureException(INVALID_SIGNATURE);
    }
    const token = request.headers['x-amz-security-token'] ?? new URLSearchParams(request.query).get('X-Amz-Security-Token') ?? undefined;
    const sessionToken = typeof token === 'string' ? token : token?.[0];
    return {
      accessKeyId: parameters.accessKeyId,
      region: parameters.region,
      service: parameters.service,
      signedAt,
      ...(sessionToken !== undefined ? { sessionToken } : {}),
    };
  }

  return { verify };
}
