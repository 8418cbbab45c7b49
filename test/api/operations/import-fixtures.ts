import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  constants,
  createCipheriv,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type AlgorithmSpec,
  type ImportKeyMaterialCommandInput,
  type ImportKeyMaterialCommandOutput,
  type KMSClient,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';

/**
 * What a user of AWS KMS does to bring their own key material, done here without the server's code: fetch import
 * parameters, wrap the material locally (node:crypto, or the openssl CLI exactly as AWS's developer guide shows)
 * and import it. Shared by the imported-material and multi-Region API tests.
 */

export type ImportWrappingAlgorithm = Extract<
  AlgorithmSpec,
  'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256'
>;

export interface ImportParameters {
  readonly keyArn: string;
  readonly algorithm: ImportWrappingAlgorithm;
  readonly token: Uint8Array;
  /** The wrapping public key, DER SubjectPublicKeyInfo. */
  readonly publicKey: Buffer;
  readonly validTo: Date;
}

/** RFC 5649's alternative initial value, as `openssl enc -id-aes256-wrap-pad -iv A65959A6` uses it. */
const KEY_WRAP_PAD_IV = Buffer.from('A65959A6', 'hex');

export async function importParameters(
  kms: KMSClient,
  keyId: string,
  algorithm: ImportWrappingAlgorithm = 'RSAES_OAEP_SHA_256',
  wrappingKeySpec: WrappingKeySpec = 'RSA_2048',
): Promise<ImportParameters> {
  const answer = await kms.send(
    new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec }),
  );
  assert.ok(answer.KeyId && answer.ImportToken && answer.PublicKey && answer.ParametersValidTo, 'complete import parameters');
  return {
    keyArn: answer.KeyId,
    algorithm,
    token: answer.ImportToken,
    publicKey: Buffer.from(answer.PublicKey),
    validTo: answer.ParametersValidTo,
  };
}

/**
 * Wraps material as AWS documents each algorithm: RSAES_OAEP_SHA_x is RSA-OAEP (SHA-x, MGF1-SHA-x) of the
 * material; RSA_AES_KEY_WRAP_SHA_x is RSA-OAEP of a fresh AES-256 key followed by the material wrapped with that
 * key (AES key wrap with padding, RFC 5649).
 */
export function wrapKeyMaterial(algorithm: ImportWrappingAlgorithm, wrappingPublicKey: Buffer, material: Buffer): Buffer {
  const publicKey = createPublicKey({ key: wrappingPublicKey, format: 'der', type: 'spki' });
  // node:crypto uses the OAEP hash for MGF1 too, as AWS requires.
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Buffer) => publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm === 'RSAES_OAEP_SHA_1' || algorithm === 'RSAES_OAEP_SHA_256') return oaep(material);
  const aesKey = randomBytes(32);
  try {
    const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, KEY_WRAP_PAD_IV);
    return Buffer.concat([oaep(aesKey), cipher.update(material), cipher.final()]);
  } finally {
    aesKey.fill(0);
  }
}

/**
 * Wraps material with the openssl CLI, the commands of AWS's developer guide (RSAES_OAEP_SHA_256, or with
 * `aesKeyWrap` RSA_AES_KEY_WRAP_SHA_256). The files live in a private temporary directory removed before returning.
 */
export function wrapWithOpensslCli(wrappingPublicKey: Buffer, material: Buffer, aesKeyWrap = false): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-import-openssl-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, `openssl ${args[0] ?? ''} failed: ${result.stderr}`);
  };
  const oaepSha256 = (input: string, output: string) =>
    openssl('pkeyutl', '-encrypt', '-in', input, '-out', output, '-inkey', 'wrapping.der', '-keyform', 'DER', '-pubin',
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
  try {
    writeFileSync(path('wrapping.der'), wrappingPublicKey);
    writeFileSync(path('material.bin'), material, { mode: 0o600 });
    if (!aesKeyWrap) {
      oaepSha256('material.bin', 'wrapped.bin');
      return readFileSync(path('wrapped.bin'));
    }
    openssl('rand', '-out', 'aes.bin', '32');
    const aesHex = readFileSync(path('aes.bin')).toString('hex');
    openssl('enc', '-id-aes256-wrap-pad', '-K', aesHex, '-iv', 'A65959A6', '-in', 'material.bin', '-out', 'material.wrapped');
    oaepSha256('aes.bin', 'aes.wrapped');
    return Buffer.concat([readFileSync(path('aes.wrapped')), readFileSync(path('material.wrapped'))]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ImportOptions {
  readonly algorithm?: ImportWrappingAlgorithm;
  readonly wrappingKeySpec?: WrappingKeySpec;
  /** Members of the ImportKeyMaterial request besides key, token and material (default: material that does not expire). */
  readonly request?: Partial<ImportKeyMaterialCommandInput>;
}

/** GetParametersForImport, wrap locally, ImportKeyMaterial: the whole import, as a user does it. */
export async function importMaterial(
  kms: KMSClient,
  keyId: string,
  material: Buffer,
  options: ImportOptions = {},
): Promise<ImportKeyMaterialCommandOutput> {
  const algorithm = options.algorithm ?? 'RSAES_OAEP_SHA_256';
  const parameters = await importParameters(kms, keyId, algorithm, options.wrappingKeySpec ?? 'RSA_2048');
  return kms.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: parameters.token,
      EncryptedKeyMaterial: wrapKeyMaterial(algorithm, parameters.publicKey, material),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      ...options.request,
    }),
  );
}

export type ImportableKeyPairSpec =
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1'
  | 'ECC_NIST_EDWARDS25519';

/** A private key to import (PKCS#8 DER) with its public key, derived locally. */
export interface KeyPairMaterial {
  readonly pkcs8: Buffer;
  readonly spki: Buffer;
  readonly publicKey: KeyObject;
}

const CURVES: Readonly<Record<string, string>> = Object.freeze({
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
});

export function keyPairMaterial(spec: ImportableKeyPairSpec): KeyPairMaterial {
  const pair =
    spec === 'ECC_NIST_EDWARDS25519'
      ? generateKeyPairSync('ed25519')
      : spec.startsWith('RSA_')
        ? generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(4)) })
        : generateKeyPairSync('ec', { namedCurve: CURVES[spec] ?? '' });
  return {
    pkcs8: pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
    spki: pair.publicKey.export({ format: 'der', type: 'spki' }),
    publicKey: pair.publicKey,
  };
}
