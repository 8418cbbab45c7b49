import { constants, sign as opensslSign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import type { SigningAlgorithm } from './aws-names.js';
import type { PrivateKeyHandle } from './key-handles.js';
import { mlDsaScheme } from './ml-dsa-keys.js';
import { signEcdsaDigest, signEd25519ph } from './noble-signatures.js';
import { signPkcs1Prehashed } from './rsa-pkcs1-prehashed.js';
import { signPssPrehashed } from './rsa-pss-prehashed.js';
import {
  checkSigningMessage,
  signingScheme,
  unavailableInRuntime,
  type MessageType,
  type SigningScheme,
} from './signing-schemes.js';

/** A signature computed by OpenSSL through `crypto.sign` (which has a threadpool variant), or directly. */
type SigningPlan =
  | { readonly via: 'crypto.sign'; readonly hash: string | null; readonly key: KeyObject | SignKeyObjectInput }
  | { readonly via: 'direct'; readonly run: () => Buffer };

/** The key options that select RSA padding (PSS salt = digest length, as AWS) and DER ECDSA signatures. */
export function opensslKeyOptions(key: KeyObject, signing: SigningScheme): KeyObject | SignKeyObjectInput {
  switch (signing.family) {
    case 'rsa-pss':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    case 'rsa-pkcs1':
      return { key, padding: constants.RSA_PKCS1_PADDING };
    case 'ecdsa':
      return { key, dsaEncoding: 'der' };
    default:
      return key;
  }
}

function planSigning(
  handle: PrivateKeyHandle,
  algorithm: SigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
): SigningPlan {
  const signing = signingScheme(handle.spec, algorithm);
  checkSigningMessage(handle.spec, signing, algorithm, message, messageType);
  if (handle.backend === 'ml-dsa') {
    const dsa = mlDsaScheme(handle.kind.level);
    const secretKey = handle.secretKey.expose();
    return messageType === 'EXTERNAL_MU'
      ? { via: 'direct', run: () => Buffer.from(dsa.internal.sign(message, secretKey, { externalMu: true })) }
      : { via: 'direct', run: () => Buffer.from(dsa.sign(message, secretKey)) };
  }
  const { keyObject, kind } = handle;
  if (signing.family === 'ed25519ph') return { via: 'direct', run: () => signEd25519ph(keyObject, message) };
  if (messageType === 'DIGEST') {
    if (signing.family === 'ecdsa' && kind.type === 'ec') {
      return { via: 'direct', run: () => signEcdsaDigest(keyObject, kind.curve, kind.fieldBytes, message) };
    }
    const hash = signing.hash;
    if (signing.family === 'rsa-pkcs1' && hash !== null) return { via: 'direct', run: () => signPkcs1Prehashed(keyObject, hash, message) };
    if (signing.family === 'rsa-pss' && hash !== null) return { via: 'direct', run: () => signPssPrehashed(keyObject, hash, message) };
    throw unavailableInRuntime(algorithm, messageType); // unreachable: checkSigningMessage admits no other DIGEST
  }
  return { via: 'crypto.sign', hash: signing.hash, key: opensslKeyOptions(handle.keyObject, signing) };
}

/**
 * Signs a message (RAW), a digest (DIGEST: signed as is, never re-hashed) or an ML-DSA μ (EXTERNAL_MU),
 * synchronously on the calling thread.
 *
 * @throws UnsupportedAlgorithmError when the key's spec does not offer `algorithm`.
 * @throws InvalidSignatureInputError for a message type the algorithm refuses or a digest of the wrong length.
 * @example
 *   const signature = sign(handle, 'ECDSA_SHA_256', Buffer.from('hello'), 'RAW'); // DER ECDSA signature
 */
export function sign(
  handle: PrivateKeyHandle,
  algorithm: SigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
): Buffer {
  const plan = planSigning(handle, algorithm, message, messageType);
  return plan.via === 'direct' ? plan.run() : opensslSign(plan.hash, message, plan.key);
}

/**
 * `sign` off the event loop where Node allows it: OpenSSL signatures through `crypto.sign` run on libuv's
 * threadpool (an RSA-4096 signature takes ~3.5 ms). RSA DIGEST signatures (`privateEncrypt` has no
 * asynchronous form), ECDSA DIGEST and Ed25519ph (noble) and ML-DSA (JavaScript) run synchronously.
 * Validation errors reject the promise.
 */
export async function signAsync(
  handle: PrivateKeyHandle,
  algorithm: SigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
): Promise<Buffer> {
  const plan = planSigning(handle, algorithm, message, messageType);
  if (plan.via === 'direct') return plan.run();
  return new Promise((resolve, reject) => {
    opensslSign(plan.hash, message, plan.key, (error, signature) => (error ? reject(error) : resolve(signature)));
  });
}
