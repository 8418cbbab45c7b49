import type { SigningAlgorithm } from './aws-names.js';
import { asymmetricKeyKind, type AsymmetricKeyKind, type AsymmetricKeySpec } from './asymmetric-key-kind.js';
import { InvalidSignatureInputError, UnsupportedAlgorithmError } from './crypto-errors.js';

/** What the `Message` of Sign/Verify is: the message itself, its digest, or ML-DSA's 64-byte μ. */
export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

export type SigningFamily = 'rsa-pss' | 'rsa-pkcs1' | 'ecdsa' | 'ed25519' | 'ed25519ph' | 'ml-dsa';

/** How a signing algorithm works: the table every sign/verify reads instead of switching on names. */
export interface SigningScheme {
  readonly family: SigningFamily;
  /** OpenSSL's digest name; `null` where the scheme hashes internally (Ed25519, ML-DSA's SHAKE256). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** The length a DIGEST (or EXTERNAL_MU) message must have. */
  readonly prehashBytes: number;
  readonly messageTypes: readonly MessageType[];
}

const scheme = (
  family: SigningFamily,
  hash: SigningScheme['hash'],
  prehashBytes: number,
  messageTypes: readonly MessageType[],
): SigningScheme => Object.freeze({ family, hash, prehashBytes, messageTypes });

/**
 * AWS's signing algorithms. RSASSA-PSS uses MGF1 with the message digest and a salt as long as the digest
 * (AWS: "salt length equal to the digest length"); ECDSA signatures are DER; ED25519_SHA_512 is pure
 * Ed25519 and takes only RAW messages; ED25519_PH_SHA_512 takes only a 64-byte DIGEST, which AWS (and
 * Ed25519ph itself) hashes once more with SHA-512 (AWS API reference, Sign `MessageType`); ML_DSA_SHAKE_256 is pure ML-DSA with an empty context and takes RAW or
 * a 64-byte EXTERNAL_MU (FIPS 204 §6.2 μ). SM2DSA is absent (see `isSupported`).
 */
const SCHEMES: Readonly<Partial<Record<SigningAlgorithm, SigningScheme>>> = Object.freeze({
  RSASSA_PSS_SHA_256: scheme('rsa-pss', 'sha256', 32, ['RAW', 'DIGEST']),
  RSASSA_PSS_SHA_384: scheme('rsa-pss', 'sha384', 48, ['RAW', 'DIGEST']),
  RSASSA_PSS_SHA_512: scheme('rsa-pss', 'sha512', 64, ['RAW', 'DIGEST']),
  RSASSA_PKCS1_V1_5_SHA_256: scheme('rsa-pkcs1', 'sha256', 32, ['RAW', 'DIGEST']),
  RSASSA_PKCS1_V1_5_SHA_384: scheme('rsa-pkcs1', 'sha384', 48, ['RAW', 'DIGEST']),
  RSASSA_PKCS1_V1_5_SHA_512: scheme('rsa-pkcs1', 'sha512', 64, ['RAW', 'DIGEST']),
  ECDSA_SHA_256: scheme('ecdsa', 'sha256', 32, ['RAW', 'DIGEST']),
  ECDSA_SHA_384: scheme('ecdsa', 'sha384', 48, ['RAW', 'DIGEST']),
  ECDSA_SHA_512: scheme('ecdsa', 'sha512', 64, ['RAW', 'DIGEST']),
  ED25519_SHA_512: scheme('ed25519', null, 64, ['RAW']),
  ED25519_PH_SHA_512: scheme('ed25519ph', 'sha512', 64, ['DIGEST']),
  ML_DSA_SHAKE_256: scheme('ml-dsa', null, 64, ['RAW', 'EXTERNAL_MU']),
});

/** Whether a key of this kind offers the scheme: AWS's pairing of specs and algorithms (keys/key-spec.ts). */
function offers(kind: AsymmetricKeyKind, signing: SigningScheme): boolean {
  switch (signing.family) {
    case 'rsa-pss':
    case 'rsa-pkcs1':
      return kind.type === 'rsa';
    case 'ecdsa':
      return kind.type === 'ec' && kind.ecdsaHash === signing.hash;
    case 'ed25519':
    case 'ed25519ph':
      return kind.type === 'ed25519';
    case 'ml-dsa':
      return kind.type === 'ml-dsa';
  }
}

/**
 * The scheme of `algorithm` for a key of `spec`.
 * @throws UnsupportedAlgorithmError when keys of `spec` do not offer `algorithm` (as AWS's table in
 *   `keys/key-spec.ts` says; a test keeps the two in step), or this runtime lacks it.
 */
export function signingScheme(spec: AsymmetricKeySpec, algorithm: SigningAlgorithm): SigningScheme {
  const found = SCHEMES[algorithm];
  if (found === undefined || !offers(asymmetricKeyKind(spec), found)) {
    throw new UnsupportedAlgorithmError(`${algorithm} is not a signing algorithm of ${spec} keys`);
  }
  return found;
}

/**
 * Checks the message against the scheme's rules, as AWS does before signing or verifying.
 * @throws InvalidSignatureInputError for a message type the algorithm does not take, or a DIGEST or
 *   EXTERNAL_MU message whose length is not the algorithm's.
 */
export function checkSigningMessage(
  spec: AsymmetricKeySpec,
  signing: SigningScheme,
  algorithm: SigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
): void {
  // The messages are AWS's own wording, so the service passes them through unchanged.
  if (!signing.messageTypes.includes(messageType)) {
    throw new InvalidSignatureInputError(
      signing.family === 'ml-dsa'
        ? `Message type ${messageType} is incompatible with key spec ${spec}.`
        : `Message type ${messageType} is incompatible with algorithm ${algorithm}.`,
    );
  }
  if (messageType === 'EXTERNAL_MU' && message.length !== signing.prehashBytes) {
    throw new InvalidSignatureInputError(`External Mu is invalid length for algorithm ${algorithm}.`);
  }
  if (messageType === 'DIGEST' && message.length !== signing.prehashBytes) {
    throw new InvalidSignatureInputError(`Digest is invalid length for algorithm ${algorithm}.`);
  }
}

/**
 * The error for a combination that AWS offers but this runtime cannot compute. None is left (RSASSA-PSS over
 * a DIGEST is `rsa-pss-prehashed.ts`); sign and verify keep it as the answer of their exhaustive dispatch.
 */
export function unavailableInRuntime(algorithm: SigningAlgorithm, messageType: MessageType): UnsupportedAlgorithmError {
  return new UnsupportedAlgorithmError(`${algorithm} with message type ${messageType} is not available in this runtime`);
}
