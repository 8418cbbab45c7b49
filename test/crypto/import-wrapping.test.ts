import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DecryptionFailedError } from '../../src/crypto/crypto-errors.js';
import { IMPORT_WRAPPING_ALGORITHMS, unwrapImportedMaterial, type ImportWrappingAlgorithm } from '../../src/crypto/import-wrapping.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';

/**
 * Key material wrapped by OpenSSL's command line, exactly as AWS's developer guide tells users to, unwraps to the
 * same bytes; anything else is refused with one error.
 */
const directory = mkdtempSync(join(tmpdir(), 'strongroom-import-wrapping-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const wrappingKey = SecretBytes.adopt(pair.privateKey.export({ format: 'der', type: 'pkcs8' }));
writeFileSync(join(directory, 'wrapping.der'), pair.publicKey.export({ format: 'der', type: 'spki' }));

function openssl(...args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: directory, encoding: 'utf8' });
  assert.equal(result.status, 0, `openssl ${args.join(' ')}: ${result.stderr}`);
}

/** `openssl pkeyutl -encrypt` with OAEP, SHA-x and MGF1-SHA-x, of the file `input` into `output`. */
function oaep(hash: 'sha1' | 'sha256', input: string, output: string): void {
  openssl('pkeyutl', '-encrypt', '-in', input, '-out', output, '-inkey', 'wrapping.der', '-keyform', 'DER', '-pubin',
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`);
}

function wrapWithOpenssl(algorithm: ImportWrappingAlgorithm, material: Buffer): Buffer {
  writeFileSync(join(directory, 'material.bin'), material);
  const hash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  if (algorithm.startsWith('RSAES_OAEP')) {
    oaep(hash, 'material.bin', 'wrapped.bin');
    return readFileSync(join(directory, 'wrapped.bin'));
  }
  const aesKey = randomBytes(32);
  writeFileSync(join(directory, 'aes.bin'), aesKey);
  openssl('enc', '-id-aes256-wrap-pad', '-K', aesKey.toString('hex'), '-iv', 'A65959A6',
    '-in', 'material.bin', '-out', 'material.wrapped');
  oaep(hash, 'aes.bin', 'aes.wrapped');
  return Buffer.concat([readFileSync(join(directory, 'aes.wrapped')), readFileSync(join(directory, 'material.wrapped'))]);
}

describe('unwrapping imported key material', () => {
  for (const algorithm of IMPORT_WRAPPING_ALGORITHMS) {
    test(`${algorithm}: what openssl wrapped unwraps to the same bytes`, () => {
      // 32 bytes (a symmetric key), and for the AES key wrap a length that is no multiple of 8 (RFC 5649 padding).
      for (const material of [randomBytes(32), ...(algorithm.startsWith('RSA_AES') ? [randomBytes(1219)] : [])]) {
        const unwrapped = unwrapImportedMaterial(algorithm, wrappingKey, wrapWithOpenssl(algorithm, material));
        assert.deepEqual(unwrapped.expose(), material);
      }
    });
  }

  test('material wrapped for one algorithm is refused by another, and tampered or truncated bytes are refused', () => {
    const material = randomBytes(32);
    const oaepSha256 = wrapWithOpenssl('RSAES_OAEP_SHA_256', material);
    assert.throws(() => unwrapImportedMaterial('RSAES_OAEP_SHA_1', wrappingKey, oaepSha256), DecryptionFailedError);
    const aesWrapped = wrapWithOpenssl('RSA_AES_KEY_WRAP_SHA_256', material);
    const tampered = Buffer.from(aesWrapped);
    tampered[tampered.length - 1]! ^= 1;
    for (const bad of [tampered, aesWrapped.subarray(0, 256), Buffer.alloc(0)]) {
      assert.throws(() => unwrapImportedMaterial('RSA_AES_KEY_WRAP_SHA_256', wrappingKey, bad), DecryptionFailedError);
    }
  });
});
