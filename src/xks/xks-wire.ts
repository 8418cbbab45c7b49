import { createHash } from 'node:crypto';

/**
 * The XKS proxy API, version 1 (`aws/aws-kms-xksproxy-api-spec`, xks_proxy_api_spec.md of Nov 10, 2022), as both
 * sides of it in Strongroom speak it: the proxy (`strongroom serve --xks-proxy`) and the KMS calling a proxy
 * (custom key stores of type EXTERNAL_KEY_STORE). One module, so that the two can never disagree (ADR 0023).
 * Names are the specification's; every binary field travels in standard Base64.
 */

/** The path every call's URI continues with, after the optional prefix: `[/prefix]/kms/xks/v1/...`. */
export const XKS_API_PATH = '/kms/xks/v1';
/** The service name of the SigV4 credential scope (Appendix A). */
export const XKS_SIGNING_SERVICE = 'kms-xks-proxy';

/** Who asked KMS, and for what: part of every request (the proxy logs and may authorize by it). */
export interface XksRequestMetadata {
  /** REQUIRED except for GetHealthStatus. */
  readonly awsPrincipalArn?: string;
  readonly awsSourceVpc?: string;
  readonly awsSourceVpce?: string;
  /** REQUIRED for Encrypt and Decrypt; OPTIONAL for GetKeyMetadata (absent for CreateKey). */
  readonly kmsKeyArn?: string;
  /** REQUIRED: the KMS operation that led to the call (a proxy must not refuse one it does not know). */
  readonly kmsOperation: string;
  /** REQUIRED: opaque, logged for correlation with the KMS audit trail. */
  readonly kmsRequestId: string;
  readonly kmsViaService?: string;
}

export interface XksMetadataRequest {
  readonly requestMetadata: XksRequestMetadata;
}

export interface XksMetadataResponse {
  /** `AES_256` for every key version 1 supports. */
  readonly keySpec: string;
  /** `ENCRYPT`, `DECRYPT`, and up to eight more. */
  readonly keyUsage: readonly string[];
  readonly keyStatus: 'ENABLED' | 'DISABLED';
}

export interface XksEncryptRequest {
  readonly requestMetadata: XksRequestMetadata;
  readonly plaintext: string;
  readonly encryptionAlgorithm: 'AES_GCM';
  readonly additionalAuthenticatedData?: string;
  readonly ciphertextDataIntegrityValueAlgorithm?: 'SHA_256';
}

export interface XksEncryptResponse {
  readonly authenticationTag: string;
  readonly ciphertext: string;
  readonly initializationVector: string;
  /** Up to 20 bytes, vendor-specific; authenticated as part of the AAD (`externalKeyAad`). */
  readonly ciphertextMetadata?: string;
  /** Present when the request named a CDIV algorithm (`ciphertextDataIntegrityValue`). */
  readonly ciphertextDataIntegrityValue?: string;
}

export interface XksDecryptRequest {
  readonly requestMetadata: XksRequestMetadata;
  readonly ciphertext: string;
  readonly encryptionAlgorithm: 'AES_GCM';
  readonly initializationVector: string;
  readonly authenticationTag: string;
  readonly additionalAuthenticatedData?: string;
  readonly ciphertextMetadata?: string;
}

export interface XksDecryptResponse {
  readonly plaintext: string;
}

export interface XksHealthRequest {
  readonly requestMetadata: Pick<XksRequestMetadata, 'kmsOperation' | 'kmsRequestId'>;
}

export interface XksHealthResponse {
  readonly xksProxyFleetSize: number;
  readonly xksProxyVendor: string;
  readonly xksProxyModel: string;
  readonly ekmVendor: string;
  /** One to ten entries. */
  readonly ekmFleetDetails: ReadonlyArray<{ readonly id: string; readonly model: string; readonly healthStatus: 'ACTIVE' | 'DEGRADED' | 'UNAVAILABLE' }>;
}

/** The specification's error names, with the HTTP status each is answered with. */
export const XKS_ERROR_STATUS = Object.freeze({
  ValidationException: 400,
  InvalidStateException: 400,
  InvalidCiphertextException: 400,
  InvalidKeyUsageException: 400,
  AuthenticationFailedException: 401,
  AccessDeniedException: 403,
  KeyNotFoundException: 404,
  InvalidUriPathException: 404,
  ThrottlingException: 429,
  UnsupportedOperationException: 501,
  DependencyTimeoutException: 503,
  InternalException: 500,
} as const);

export type XksErrorName = keyof typeof XKS_ERROR_STATUS;

/** An error answer's body: `errorName`, and an optional `errorMessage` (< 512 printable ASCII characters). */
export interface XksErrorBody {
  readonly errorName: XksErrorName;
  readonly errorMessage?: string;
}

export function isXksErrorName(name: unknown): name is XksErrorName {
  return typeof name === 'string' && Object.hasOwn(XKS_ERROR_STATUS, name);
}

/** The largest `ciphertextMetadata` (bytes). */
export const MAX_CIPHERTEXT_METADATA_BYTES = 20;
/** AES-GCM's tag, the only size version 1 allows. */
export const XKS_TAG_BYTES = 16;
/** The IV sizes version 1 allows. */
export const XKS_IV_BYTES: readonly number[] = [12, 16];

/**
 * The AAD of the AES-GCM in the external key manager, from the Encrypt section: `len16(aad) ‖ aad ‖ len8(metadata) ‖
 * metadata`, lengths big-endian and zero for an absent field. The lengths keep "AAD x with no metadata" and "no AAD
 * with metadata x" apart.
 */
export function externalKeyAad(additionalAuthenticatedData: Buffer | undefined, ciphertextMetadata: Buffer | undefined): Buffer {
  const aad = additionalAuthenticatedData ?? Buffer.alloc(0);
  const metadata = ciphertextMetadata ?? Buffer.alloc(0);
  if (aad.length > 0xffff) throw new RangeError('additionalAuthenticatedData is longer than 65535 bytes');
  if (metadata.length > MAX_CIPHERTEXT_METADATA_BYTES) throw new RangeError('ciphertextMetadata is longer than 20 bytes');
  const lengths = Buffer.alloc(3);
  lengths.writeUInt16BE(aad.length, 0);
  lengths.writeUInt8(metadata.length, 2);
  return Buffer.concat([lengths.subarray(0, 2), aad, lengths.subarray(2), metadata]);
}

/**
 * The ciphertext data integrity value of Appendix C: Base64 of SHA-256 over `aad ‖ metadata ‖ iv ‖ ciphertext ‖ tag`
 * (decoded bytes, no lengths: it guards against bit flips, not against an adversary).
 */
export function ciphertextDataIntegrityValue(parts: {
  readonly additionalAuthenticatedData?: Buffer;
  readonly ciphertextMetadata?: Buffer;
  readonly initializationVector: Buffer;
  readonly ciphertext: Buffer;
  readonly authenticationTag: Buffer;
}): string {
  const hash = createHash('sha256');
  if (parts.additionalAuthenticatedData) hash.update(parts.additionalAuthenticatedData);
  if (parts.ciphertextMetadata) hash.update(parts.ciphertextMetadata);
  hash.update(parts.initializationVector).update(parts.ciphertext).update(parts.authenticationTag);
  return hash.digest('base64');
}
