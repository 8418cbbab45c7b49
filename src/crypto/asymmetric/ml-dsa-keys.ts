import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { SecretBytes } from '../secret-bytes.js';
import type { MlDsaLevel } from './asymmetric-key-kind.js';
import { InvalidKeyMaterialError, InvalidPublicKeyError } from './crypto-errors.js';

/**
 * ML-DSA keys and their DER encodings. OpenSSL 3.0 has no ML-DSA, so the algorithm comes from
 * @noble/post-quantum and the encodings are written here, following the IETF LAMPS profile
 * (draft-ietf-lamps-dilithium-certificates, now RFC 9881), which is what AWS KMS's GetPublicKey returns:
 *
 *   SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { OID id-ml-dsa-NN }, BIT STRING (raw public key) }
 *   OneAsymmetricKey     ::= SEQUENCE { INTEGER 0, SEQUENCE { OID id-ml-dsa-NN }, OCTET STRING (
 *                              ML-DSA-PrivateKey: seed [0] IMPLICIT OCTET STRING (SIZE (32)) ) }
 *
 * OIDs: id-ml-dsa-44/65/87 = 2.16.840.1.101.3.4.3.17/18/19; parameters are absent, as the profile requires.
 * Private keys are stored in the profile's seed form (32 bytes, from which FIPS 204 key generation derives
 * the key pair): the smallest form, and one every conforming implementation can import.
 * Decoding is strict: only exactly these bytes are accepted (no BER, no other private-key forms).
 */

export type MlDsaScheme = typeof ml_dsa44;

const SCHEMES: Readonly<Record<MlDsaLevel, MlDsaScheme>> = { 44: ml_dsa44, 65: ml_dsa65, 87: ml_dsa87 };
const OID_LAST_ARC: Readonly<Record<MlDsaLevel, number>> = { 44: 0x11, 65: 0x12, 87: 0x13 };
const SEED_BYTES = 32;

/** The @noble/post-quantum implementation of a parameter set. */
export function mlDsaScheme(level: MlDsaLevel): MlDsaScheme {
  return SCHEMES[level];
}

/** A DER length: short form below 128, long form otherwise. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function algorithmIdentifier(level: MlDsaLevel): Buffer {
  const oid = Buffer.from([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, OID_LAST_ARC[level]]);
  return tlv(0x30, tlv(0x06, oid));
}

/** DER SubjectPublicKeyInfo of a raw ML-DSA public key. */
export function encodeMlDsaSpki(level: MlDsaLevel, publicKey: Uint8Array): Buffer {
  const bitString = tlv(0x03, Buffer.concat([Buffer.from([0x00]), publicKey]));
  return tlv(0x30, Buffer.concat([algorithmIdentifier(level), bitString]));
}

/**
 * The raw public key inside an ML-DSA SubjectPublicKeyInfo of the given level.
 * @throws InvalidPublicKeyError unless `spki` is exactly the DER encoding `encodeMlDsaSpki` produces.
 */
export function decodeMlDsaSpki(level: MlDsaLevel, spki: Uint8Array): Uint8Array {
  const publicKeyBytes = mlDsaScheme(level).lengths.publicKey ?? 0;
  const expected = encodeMlDsaSpki(level, new Uint8Array(publicKeyBytes));
  const header = expected.subarray(0, expected.length - publicKeyBytes);
  const given = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength);
  if (given.length !== expected.length || !given.subarray(0, header.length).equals(header)) {
    throw new InvalidPublicKeyError(`The public key is not a DER ML-DSA-${level} SubjectPublicKeyInfo`);
  }
  return new Uint8Array(given.subarray(header.length));
}

/** PKCS#8 DER (seed form) of an ML-DSA seed. */
export function encodeMlDsaPkcs8(level: MlDsaLevel, seed: SecretBytes): SecretBytes {
  const privateKey = tlv(0x04, tlv(0x80, seed.expose()));
  const version = Buffer.from([0x02, 0x01, 0x00]);
  return SecretBytes.adopt(tlv(0x30, Buffer.concat([version, algorithmIdentifier(level), privateKey])));
}

/**
 * The seed inside an ML-DSA PKCS#8 encoding of the given level.
 * @throws InvalidKeyMaterialError unless `pkcs8` is exactly the encoding `encodeMlDsaPkcs8` produces.
 */
export function decodeMlDsaPkcs8(level: MlDsaLevel, pkcs8: SecretBytes): SecretBytes {
  const expectedHeader = encodeMlDsaPkcs8(level, SecretBytes.adopt(Buffer.alloc(SEED_BYTES)))
    .expose()
    .subarray(0, -SEED_BYTES);
  const bytes = pkcs8.expose();
  if (bytes.length !== expectedHeader.length + SEED_BYTES || !bytes.subarray(0, expectedHeader.length).equals(expectedHeader)) {
    throw new InvalidKeyMaterialError(`The private key is not an ML-DSA-${level} PKCS#8 key in seed form`);
  }
  return SecretBytes.copyOf(bytes.subarray(expectedHeader.length));
}

/** The expanded FIPS 204 key pair of a seed (ML-DSA.KeyGen_internal). */
export function expandMlDsaSeed(level: MlDsaLevel, seed: SecretBytes): { secretKey: SecretBytes; publicKey: Uint8Array } {
  const { secretKey, publicKey } = mlDsaScheme(level).keygen(seed.expose());
  return { secretKey: SecretBytes.adopt(Buffer.from(secretKey.buffer, secretKey.byteOffset, secretKey.byteLength)), publicKey };
}

/** A new seed-form key pair: PKCS#8 private key and SPKI public key. */
export function generateMlDsaKeyPair(
  level: MlDsaLevel,
  randomBytes: (length: number) => Buffer,
): { privateKey: SecretBytes; publicKey: Buffer } {
  const seed = SecretBytes.adopt(randomBytes(SEED_BYTES));
  const { secretKey, publicKey } = expandMlDsaSeed(level, seed);
  secretKey.wipe();
  const privateKey = encodeMlDsaPkcs8(level, seed);
  seed.wipe();
  return { privateKey, publicKey: encodeMlDsaSpki(level, publicKey) };
}
