import { verify as opensslVerify } from 'node:crypto';
import type { SigningAlgorithm } from './aws-names.js';
import type { PublicKeyHandle } from './key-handles.js';
import { mlDsaScheme } from './ml-dsa-keys.js';
import { verifyEcdsaDigest, verifyEd25519ph } from './noble-signatures.js';
import { verifyPkcs1Prehashed } from './rsa-pkcs1-prehashed.js';
import { verifyPssPrehashed } from './rsa-pss-prehashed.js';
import { opensslKeyOptions } from './sign.js';
import { checkSigningMessage, signingScheme, unavailableInRuntime, type MessageType } from './signing-schemes.js';

/**
 * Verifies a signature made with `algorithm` over a message (RAW), a digest (DIGEST) or an ML-DSA μ
 * (EXTERNAL_MU). Answers `false` for any signature that is not valid — malformed, BER instead of DER, the
 * wrong length, a PSS salt other than the digest length — and throws only for inputs AWS refuses outright.
 *
 * @throws UnsupportedAlgorithmError when the key's spec does not offer `algorithm`.
 * @throws InvalidSignatureInputError for a message type the algorithm refuses or a digest of the wrong length.
 * @example
 *   const publicKey = loadPublicKey(spki, 'ECC_NIST_P256');
 *   if (!verify(publicKey, 'ECDSA_SHA_256', message, 'RAW', signature)) throw new KMSInvalidSignatureException(...);
 */
export function verify(
  publicKey: PublicKeyHandle,
  algorithm: SigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
  signature: Buffer,
): boolean {
  const signing = signingScheme(publicKey.spec, algorithm);
  checkSigningMessage(publicKey.spec, signing, algorithm, message, messageType);
  if (publicKey.backend === 'ml-dsa') {
    const dsa = mlDsaScheme(publicKey.kind.level);
    try {
      return messageType === 'EXTERNAL_MU'
        ? dsa.internal.verify(signature, message, publicKey.rawKey, { externalMu: true })
        : dsa.verify(signature, message, publicKey.rawKey);
    } catch {
      return false; // noble throws on malformed lengths; for Verify that is simply an invalid signature
    }
  }
  const { keyObject, kind } = publicKey;
  if (signing.family === 'ed25519ph') return verifyEd25519ph(keyObject, message, signature);
  if (messageType === 'DIGEST') {
    if (signing.family === 'ecdsa' && kind.type === 'ec') return verifyEcdsaDigest(keyObject, kind.curve, message, signature);
    if (signing.family === 'rsa-pkcs1' && signing.hash !== null) return verifyPkcs1Prehashed(keyObject, signing.hash, message, signature);
    if (signing.family === 'rsa-pss' && signing.hash !== null) return verifyPssPrehashed(keyObject, signing.hash, message, signature);
    throw unavailableInRuntime(algorithm, messageType); // unreachable: checkSigningMessage admits no other DIGEST
  }
  try {
    return opensslVerify(signing.hash, message, opensslKeyOptions(publicKey.keyObject, signing), signature);
  } catch {
    return false; // OpenSSL raises on some malformed encodings instead of answering false
  }
}
