import { constants, privateEncrypt, publicDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type Mgf1 from 'node-forge/lib/mgf1.js';
import type Pss from 'node-forge/lib/pss.js';
import type Sha256 from 'node-forge/lib/sha256.js';
import type Sha512 from 'node-forge/lib/sha512.js';
import { InvalidKeyMaterialError, InvalidSignatureInputError } from './crypto-errors.js';

/**
 * RSASSA-PSS over a digest the caller already computed (MessageType DIGEST), as AWS signs it: MGF1 with the
 * message's hash and a salt as long as the digest. Node 20 cannot do this through its API: `crypto.sign(null,
 * ...)` hashes its input once more (with OpenSSL's default SHA-256) and `privateEncrypt` refuses PSS padding
 * (docs/adr/0012-pss-digest-signing.md). So the work is split along the secret, and neither half is written
 * here (RFC 8017 §8.1):
 * - EMSA-PSS, whose inputs are public (the digest and a fresh salt), is node-forge's `pss` (Wycheproof's
 *   PSS vectors, run in DIGEST mode, and `openssl pkeyutl` hold it to the RFC);
 * - RSASP1, the private-key operation, is OpenSSL's (`privateEncrypt` with RSA_NO_PADDING: blinded and
 *   constant-time); the key never leaves its `KeyObject`.
 * Verification mirrors it: OpenSSL's RSAVP1 (`publicDecrypt`, no padding), then forge's EMSA-PSS-VERIFY.
 */

type PssHash = 'sha256' | 'sha384' | 'sha512';

interface Forge {
  readonly pss: typeof Pss;
  readonly mgf1: typeof Mgf1;
  readonly hashFunctions: Readonly<Record<PssHash, () => Pss.MessageDigest>>;
}

let forge: Forge | undefined;

/**
 * Forge, loaded on the first PSS DIGEST request rather than at start-up: it is CommonJS that `require`s
 * Node built-ins, which the ESM bundle of the CLI cannot do (so it stays in node_modules, like
 * better-sqlite3), and loading it takes ~40 ms that no other request should pay.
 */
function loadForge(): Forge {
  if (forge === undefined) {
    const requireCommonJs = createRequire(import.meta.url);
    const sha256 = requireCommonJs('node-forge/lib/sha256.js') as typeof Sha256;
    const sha512 = requireCommonJs('node-forge/lib/sha512.js') as typeof Sha512;
    forge = Object.freeze({
      pss: requireCommonJs('node-forge/lib/pss.js') as typeof Pss,
      mgf1: requireCommonJs('node-forge/lib/mgf1.js') as typeof Mgf1,
      hashFunctions: Object.freeze({ sha256: () => sha256.create(), sha384: () => sha512.sha384.create(), sha512: () => sha512.create() }),
    });
  }
  return forge;
}

const DIGEST_BYTES: Readonly<Record<PssHash, number>> = Object.freeze({ sha256: 32, sha384: 48, sha512: 64 });

/** AWS's PSS parameters for `hash`: MGF1 with the same hash, salt length = digest length, salt from OpenSSL. */
function awsPss(hash: PssHash): Pss.Scheme {
  const { pss, mgf1, hashFunctions } = loadForge();
  return pss.create({
    md: hashFunctions[hash](),
    mgf: mgf1.create(hashFunctions[hash]()),
    saltLength: DIGEST_BYTES[hash],
    prng: { getBytesSync: (count) => randomBytes(count).toString('latin1') },
  });
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new InvalidKeyMaterialError('RSASSA-PSS needs an RSA key');
  return bits;
}

/** Signs `digest` (of the hash's length) with RSASSA-PSS; a fresh random salt makes every signature differ. */
export function signPssPrehashed(privateKey: KeyObject, hash: PssHash, digest: Buffer): Buffer {
  // Forge would encode a digest of any length; a wrong one must never become a signature.
  if (digest.length !== DIGEST_BYTES[hash]) throw new InvalidSignatureInputError(`a ${hash} digest has ${DIGEST_BYTES[hash]} bytes`);
  const bits = modulusBits(privateKey);
  const mHash = { digest: () => ({ getBytes: () => digest.toString('latin1') }) };
  const encoded = Buffer.from(awsPss(hash).encode(mHash, bits), 'latin1');
  // RSASP1 reads EM as an integer of the modulus's byte length (EM is a byte shorter when bits ≡ 1 mod 8).
  const representative = Buffer.alloc(Math.ceil(bits / 8));
  encoded.copy(representative, representative.length - encoded.length);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, representative);
}

/**
 * Verifies an RSASSA-PSS signature over `digest`. Anything else than a consistent encoding with AWS's
 * parameters — the wrong length, a value not below the modulus, another salt length — is `false`.
 */
export function verifyPssPrehashed(publicKey: KeyObject, hash: PssHash, digest: Buffer, signature: Buffer): boolean {
  const bits = modulusBits(publicKey);
  if (digest.length !== DIGEST_BYTES[hash] || signature.length !== Math.ceil(bits / 8)) return false;
  let representative: Buffer;
  try {
    representative = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false; // OpenSSL refuses a signature not below the modulus
  }
  const encodedLength = Math.ceil((bits - 1) / 8);
  const excess = representative.subarray(0, representative.length - encodedLength);
  if (excess.some((byte) => byte !== 0)) return false; // RFC 8017 §8.1.2 2c: EM must fit emLen bytes
  try {
    return awsPss(hash).verify(digest.toString('latin1'), representative.subarray(excess.length).toString('latin1'), bits);
  } catch {
    return false; // forge throws for inconsistent encodings; for Verify that is an invalid signature
  }
}
