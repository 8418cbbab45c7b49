import { createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { SecretBytes } from '../secret-bytes.js';
import { InvalidPublicKeyError, UnsupportedAlgorithmError } from './crypto-errors.js';
import type { PrivateKeyHandle } from './key-handles.js';

/**
 * Parses the peer's public key strictly: it must be a DER SubjectPublicKeyInfo of an EC key on the same
 * named curve, byte for byte the encoding OpenSSL writes back for it (named-curve OID, no trailing bytes;
 * the point uncompressed or compressed, both RFC 5480 forms). OpenSSL checks while decoding that the point
 * lies on the curve, which defeats invalid-curve attacks. BER variants and explicit curve parameters are
 * refused: AWS documents the peer key as "DER-encoded X.509 SubjectPublicKeyInfo", and accepting
 * look-alike encodings only widens the parser's attack surface.
 */
function parsePeerKey(peerSpki: Buffer, curve: string): KeyObject {
  let peer: KeyObject;
  try {
    peer = createPublicKey({ key: peerSpki, format: 'der', type: 'spki' });
  } catch {
    throw new InvalidPublicKeyError('The public key is not a valid DER-encoded SubjectPublicKeyInfo');
  }
  if (peer.asymmetricKeyType !== 'ec' || peer.asymmetricKeyDetails?.namedCurve !== curve) {
    throw new InvalidPublicKeyError('The public key is not on the curve of the KMS key');
  }
  if (!peer.export({ format: 'der', type: 'spki' }).equals(peerSpki)) {
    throw new InvalidPublicKeyError('The public key is not a canonical DER SubjectPublicKeyInfo with a named curve');
  }
  return peer;
}

/**
 * ECDH (cofactor 1 curves, so plain ECDH = ECC CDH) between our private key and the peer's public key.
 * Returns the shared secret as AWS's DeriveSharedSecret does: the raw X coordinate of the shared point,
 * as many bytes as the field (32 for P-256, 48 for P-384, 66 for P-521).
 *
 * @throws UnsupportedAlgorithmError when the key's spec does not offer ECDH.
 * @throws InvalidPublicKeyError when the peer key is malformed, not canonical DER, or on another curve.
 * @example
 *   const secret = deriveSharedSecret(handle, peerSpki); // SecretBytes; wipe when done
 */
export function deriveSharedSecret(handle: PrivateKeyHandle, peerSpki: Buffer): SecretBytes {
  if (handle.backend !== 'openssl' || handle.kind.type !== 'ec' || !handle.kind.keyAgreement) {
    throw new UnsupportedAlgorithmError(`ECDH is not a key agreement algorithm of ${handle.spec} keys`);
  }
  const peer = parsePeerKey(peerSpki, handle.kind.curve);
  try {
    return SecretBytes.adopt(diffieHellman({ privateKey: handle.keyObject, publicKey: peer }));
  } catch {
    throw new InvalidPublicKeyError('The public key does not yield a shared secret with the KMS key');
  }
}
