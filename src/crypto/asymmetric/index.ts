/**
 * The asymmetric primitives: key handles, signatures, RSA-OAEP and ECDH. Key generation lives in
 * `../key-generation/`, HMAC in `../hmac.ts`.
 *
 * @example
 *   const handle = loadPrivateKey(pkcs8, 'ECC_NIST_P256');
 *   const signature = sign(handle, 'ECDSA_SHA_256', message, 'RAW');
 *   verify(handle.publicKey, 'ECDSA_SHA_256', message, 'RAW', signature); // true
 */
export { isSupported, asymmetricKeyKind, type AsymmetricKeyKind, type AsymmetricKeySpec } from './asymmetric-key-kind.js';
export {
  AsymmetricCryptoError,
  DecryptionFailedError,
  InvalidKeyMaterialError,
  InvalidPublicKeyError,
  InvalidSignatureInputError,
  PlaintextTooLargeError,
  UnsupportedAlgorithmError,
} from './crypto-errors.js';
export { loadPrivateKey, loadPublicKey, type PrivateKeyHandle, type PublicKeyHandle } from './key-handles.js';
export { type MessageType } from './signing-schemes.js';
export { sign, signAsync } from './sign.js';
export { verify } from './verify.js';
export { maxRsaOaepPlaintext, rsaOaepDecrypt, rsaOaepEncrypt, type RsaOaepAlgorithm } from './rsa-oaep.js';
export { deriveSharedSecret } from './ecdh.js';
