import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { asymmetricKeyKind, loadPrivateKey, sign, verify, type PrivateKeyHandle } from '../../crypto/asymmetric/index.js';
import { encodeMlDsaPkcs8 } from '../../crypto/asymmetric/ml-dsa-keys.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import { KEY_SPECS, type KeySpec } from '../../keys/key-spec.js';

/**
 * Key material that a person gives (a seed file, LocalStack's `_custom_key_material_` tag) instead of the
 * server generating it, checked against the key spec it is for. What the server stores is the same as for
 * material it makes itself: the raw secret (symmetric, HMAC) or a PKCS#8 DER private key (asymmetric; ML-DSA
 * in the seed form of `crypto/asymmetric/ml-dsa-keys.ts`), wrapped by the root key.
 */
export interface GivenMaterial {
  readonly spec: KeySpec;
  /** What is stored wrapped: raw bytes, or a PKCS#8 DER private key. */
  readonly secret: SecretBytes;
  /** For asymmetric keys, the public key (DER SubjectPublicKeyInfo, what GetPublicKey returns). */
  readonly publicKey?: Buffer;
}

/** Why given material was refused. The message names the expectation, never a byte of the material. */
export class MaterialProblem extends Error {}

/**
 * How the material is written. `text` is the seed file's: base64 for symmetric and HMAC keys and for an
 * ML-DSA seed, PEM (PKCS#8, or PKCS#1 for RSA, or SEC1 for ECC) for RSA and ECC keys. `base64-der` is
 * LocalStack's tag: everything base64, asymmetric private keys as DER (PKCS#8, PKCS#1 or SEC1).
 */
export type MaterialForm = 'text' | 'base64-der';

const ML_DSA_SEED_BYTES = 32;

/**
 * Decodes and checks material for a key of `spec`.
 * @throws MaterialProblem naming what was expected (`not a PEM private key of spec ECC_SECG_P256K1`, ...).
 * @example const material = readGivenMaterial('HMAC_256', 'q83vEjRWeJ...', 'text'); // material.secret: 32..128 bytes
 */
export function readGivenMaterial(spec: KeySpec, value: string, form: MaterialForm): GivenMaterial {
  // Symmetric and HMAC keys take raw bytes, as many as the key-spec table allows (AWS's imported-material rules).
  const lengths = KEY_SPECS[spec].secretMaterialBytes;
  if (lengths !== undefined) {
    const { min, max } = lengths;
    const bytes = decodeBase64(value, min === max ? `${min} bytes of base64 for spec ${spec}` : `base64 HMAC key material for spec ${spec}`);
    if (bytes.length < min || bytes.length > max) {
      const found = bytes.length;
      bytes.fill(0);
      throw new MaterialProblem(min === max
        ? `spec ${spec} takes ${min} bytes (${min * 8} bits), not ${found}`
        : `spec ${spec} takes ${min} to ${max} bytes of HMAC key material, not ${found}`);
    }
    return { spec, secret: SecretBytes.adopt(bytes) };
  }
  return readPrivateKey(spec, value, form);
}

/**
 * Checks material unwrapped by ImportKeyMaterial against the key's spec, as AWS's requirements for imported key
 * material say: symmetric and HMAC keys take raw bytes of the table's lengths, key pairs a PKCS#8 DER private
 * key (re-encoded canonically, and refused unless its parts agree). Takes ownership of `bytes` (wiped on refusal).
 * @throws MaterialProblem naming what was expected.
 */
export function readImportedMaterial(spec: KeySpec, bytes: SecretBytes): GivenMaterial {
  const lengths = KEY_SPECS[spec].secretMaterialBytes;
  if (lengths !== undefined) {
    if (bytes.length < lengths.min || bytes.length > lengths.max) {
      bytes.wipe();
      throw new MaterialProblem(lengths.min === lengths.max
        ? `Key material for ${spec} must be ${lengths.min} bytes`
        : `Key material for ${spec} must be between ${lengths.min} and ${lengths.max} bytes`);
    }
    return { spec, secret: bytes };
  }
  let pkcs8: SecretBytes;
  try {
    const keyObject = createPrivateKey({ key: bytes.expose(), format: 'der', type: 'pkcs8' });
    pkcs8 = SecretBytes.adopt(keyObject.export({ format: 'der', type: 'pkcs8' }));
  } catch {
    throw new MaterialProblem(`Key material for ${spec} must be a PKCS#8 DER private key`);
  } finally {
    bytes.wipe();
  }
  return checkedPrivateKey(spec, pkcs8, `Key material is not a private key of spec ${spec}`);
}

function readPrivateKey(spec: KeySpec, value: string, form: MaterialForm): GivenMaterial {
  const kind = asymmetricKeyKind(spec);
  let pkcs8: SecretBytes;
  if (kind.type === 'ml-dsa') {
    const bytes = decodeBase64(value, `a base64 ML-DSA seed (32 bytes) for spec ${spec}`);
    const seed = exactLength(bytes, ML_DSA_SEED_BYTES, `spec ${spec} takes a seed of ${ML_DSA_SEED_BYTES} bytes`);
    pkcs8 = encodeMlDsaPkcs8(kind.level, seed);
    seed.wipe();
  } else {
    pkcs8 = SecretBytes.adopt(parsePrivateKey(spec, value, form).export({ format: 'der', type: 'pkcs8' }));
  }
  return checkedPrivateKey(spec, pkcs8, `not a ${describeForm(form)} private key of spec ${spec}`);
}

/** A PKCS#8 private key of `spec` whose parts agree, with its public key; wiped and refused otherwise. */
function checkedPrivateKey(spec: KeySpec, pkcs8: SecretBytes, refusal: string): GivenMaterial {
  let handle: PrivateKeyHandle;
  try {
    handle = loadPrivateKey(pkcs8, spec);
  } catch {
    pkcs8.wipe();
    throw new MaterialProblem(refusal);
  }
  if (!pairIsConsistent(handle)) {
    pkcs8.wipe();
    throw new MaterialProblem(`a private key of spec ${spec} whose parts do not agree (its signatures do not verify)`);
  }
  return { spec, secret: pkcs8, publicKey: handle.publicKey.spki };
}

/** OpenSSL reads PEM of any private key format itself; DER it must be told, so each format is tried in turn. */
function parsePrivateKey(spec: KeySpec, value: string, form: MaterialForm): KeyObject {
  const refused = new MaterialProblem(`not a ${describeForm(form)} private key of spec ${spec}`);
  if (form === 'text') {
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(value)) {
      throw new MaterialProblem(`an encrypted PEM private key: give the key of spec ${spec} unencrypted`);
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) throw refused;
    try {
      return createPrivateKey({ key: value, format: 'pem' });
    } catch {
      throw refused;
    }
  }
  const der = decodeBase64(value, `a base64 DER private key of spec ${spec}`);
  try {
    for (const type of ['pkcs8', 'sec1', 'pkcs1'] as const) {
      try {
        return createPrivateKey({ key: der, format: 'der', type });
      } catch {
        // not this format: try the next
      }
    }
    throw refused;
  } finally {
    der.fill(0);
  }
}

/**
 * A pairwise consistency test (FIPS 140's, for imported key pairs): a private key whose parts disagree — a
 * damaged RSA key with wrong CRT values — would sign garbage or leak its factors, so it is refused up front.
 */
function pairIsConsistent(handle: PrivateKeyHandle): boolean {
  const algorithm = KEY_SPECS[handle.spec].signingAlgorithms[0];
  if (algorithm === undefined) return true;
  const message = randomBytes(32);
  try {
    return verify(handle.publicKey, algorithm, message, 'RAW', sign(handle, algorithm, message, 'RAW'));
  } catch {
    return false;
  }
}

function describeForm(form: MaterialForm): string {
  return form === 'text' ? 'PEM' : 'base64 DER';
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (whitespace between lines allowed, as in a folded YAML string): Buffer.from would skip junk. */
function decodeBase64(value: string, expected: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (compact.length === 0 || !BASE64.test(compact)) throw new MaterialProblem(`not ${expected}`);
  return Buffer.from(compact, 'base64');
}

function exactLength(bytes: Buffer, length: number, rule: string): SecretBytes {
  if (bytes.length !== length) {
    const found = bytes.length;
    bytes.fill(0);
    throw new MaterialProblem(`${rule}, not ${found}`);
  }
  return SecretBytes.adopt(bytes);
}
