import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KEY_SPECS, type KeySpec, type SigningAlgorithm } from '../../../src/keys/key-spec.js';
import {
  deriveSharedSecret, InvalidSignatureInputError, loadPrivateKey, loadPublicKey, rsaOaepDecrypt, rsaOaepEncrypt, sign,
  type PrivateKeyHandle,
} from '../../../src/crypto/asymmetric/index.js';
import { createKeyPairGenerator } from '../../../src/crypto/key-generation/key-pair-generator.js';
import { SecretBytes } from '../../../src/crypto/secret-bytes.js';

/**
 * Interop with the system `openssl` CLI (OpenSSL 3.0 here): what we sign, openssl verifies against the
 * exported SPKI; what openssl encrypts with OAEP, we decrypt; ECDH agrees with `openssl pkeyutl -derive`.
 * Only public keys and openssl's own throwaway peer keys are written to the temporary folder, never ours.
 * ML-DSA is absent: OpenSSL 3.0 has no ML-DSA (its vectors are in wycheproof-ml-dsa.test.ts).
 * If openssl is missing, every test here fails (by design: this is the interop proof).
 */

const OPENSSL = '/usr/bin/openssl';
const SIGNING_SPECS: readonly KeySpec[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519',
];
const handles = new Map<KeySpec, PrivateKeyHandle>();
let dir = '';

function openssl(args: readonly string[], input?: Buffer): { ok: boolean; stdout: Buffer } {
  const result = spawnSync(OPENSSL, args, { input: input ?? Buffer.alloc(0) });
  if (result.error) throw result.error; // openssl absent: fail loudly
  return { ok: result.status === 0, stdout: result.stdout };
}

function writePublicPem(name: string, spki: Buffer): string {
  const path = join(dir, `${name}.pem`);
  writeFileSync(path, createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }));
  return path;
}

/** The openssl command line that verifies `algorithm`, as AWS documents offline verification. */
function verifyArgs(algorithm: SigningAlgorithm, publicPem: string, signature: string, message: string): string[] {
  const bits = /SHA_(\d{3})$/.exec(algorithm)?.[1] ?? '';
  if (algorithm === 'ED25519_SHA_512') return ['pkeyutl', '-verify', '-pubin', '-inkey', publicPem, '-rawin', '-in', message, '-sigfile', signature];
  const dgst = ['dgst', `-sha${bits}`, '-verify', publicPem, '-signature', signature];
  if (algorithm.startsWith('RSASSA_PSS')) {
    dgst.push('-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${Number(bits) / 8}`, '-sigopt', `rsa_mgf1_md:sha${bits}`);
  }
  return [...dgst, message];
}

describe('interop with the openssl CLI', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-interop-'));
    const generator = createKeyPairGenerator({ rsaPoolSizePerSpec: 0 });
    try {
      for (const spec of SIGNING_SPECS) {
        const pair = await generator.generateKeyPair(spec); // the one RSA-4096 generation of this file
        handles.set(spec, loadPrivateKey(pair.privateKey, spec));
      }
    } finally {
      await generator.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('openssl is installed', () => {
    assert.match(execFileSync(OPENSSL, ['version']).toString(), /^OpenSSL 3\./);
  });

  for (const spec of SIGNING_SPECS) {
    for (const algorithm of KEY_SPECS[spec].signingAlgorithms) {
      const name = algorithm === 'ED25519_PH_SHA_512'
        ? `${spec} ${algorithm}: DIGEST only (OpenSSL 3.0 lacks Ed25519ph; noble vectors in noble-signatures.test.ts)`
        : `${spec} ${algorithm}: openssl verifies our RAW signature, and refuses it for another message`;
      test(name, () => {
        const handle = handles.get(spec);
        assert.ok(handle);
        const message = Buffer.from(`interop message for ${spec} ${algorithm}`);
        if (algorithm === 'ED25519_PH_SHA_512') {
          // Ed25519ph needs OpenSSL >= 3.2, so there is nothing to interoperate with here; AWS takes it DIGEST only.
          assert.throws(() => sign(handle, algorithm, message, 'RAW'), InvalidSignatureInputError);
          return;
        }
        const signature = sign(handle, algorithm, message, 'RAW');
        const files = { pem: writePublicPem(`${spec}-${algorithm}`, handle.publicKey.spki), sig: join(dir, 'sig'), msg: join(dir, 'msg') };
        writeFileSync(files.sig, signature);
        writeFileSync(files.msg, message);
        assert.equal(openssl(verifyArgs(algorithm, files.pem, files.sig, files.msg)).ok, true);
        writeFileSync(files.msg, Buffer.concat([message, Buffer.from('!')]));
        assert.equal(openssl(verifyArgs(algorithm, files.pem, files.sig, files.msg)).ok, false);
      });
    }
  }

  test('RSASSA_PKCS1_V1_5 DIGEST signatures verify with openssl pkeyutl over the digest', () => {
    const handle = handles.get('RSA_3072');
    assert.ok(handle);
    const digest = createHash('sha384').update('digest me').digest();
    writeFileSync(join(dir, 'digest'), digest);
    writeFileSync(join(dir, 'sig'), sign(handle, 'RSASSA_PKCS1_V1_5_SHA_384', digest, 'DIGEST'));
    const pem = writePublicPem('pkcs1-digest', handle.publicKey.spki);
    const args = ['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-in', join(dir, 'digest'), '-sigfile', join(dir, 'sig'), '-pkeyopt', 'digest:sha384'];
    assert.equal(openssl(args).ok, true);
  });

  for (const [spec, hash, algorithm] of [['RSA_2048', 'sha256', 'RSAES_OAEP_SHA_256'], ['RSA_4096', 'sha1', 'RSAES_OAEP_SHA_1']] as const) {
    test(`${spec} ${algorithm}: openssl pkeyutl -encrypt (MGF1 ${hash}) decrypts with rsaOaepDecrypt`, () => {
      const handle = handles.get(spec);
      assert.ok(handle);
      const pem = writePublicPem(`oaep-${spec}`, handle.publicKey.spki);
      const plaintext = Buffer.from('a data key travelling under RSA-OAEP');
      const encrypted = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', pem, '-pkeyopt', 'rsa_padding_mode:oaep',
        '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`], plaintext);
      assert.equal(encrypted.ok, true);
      assert.deepEqual(rsaOaepDecrypt(handle, algorithm, encrypted.stdout).expose(), plaintext);
    });
  }

  test('rsaOaepEncrypt output decrypts with openssl pkeyutl -decrypt (openssl-generated throwaway key)', () => {
    const keyPem = join(dir, 'openssl-rsa.pem');
    assert.equal(openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPem]).ok, true);
    const spki = openssl(['pkey', '-in', keyPem, '-pubout', '-outform', 'DER']).stdout;
    const plaintext = Buffer.from('sealed by strongroom');
    const ciphertext = rsaOaepEncrypt(loadPublicKey(spki, 'RSA_2048'), 'RSAES_OAEP_SHA_256', SecretBytes.copyOf(plaintext));
    const decrypted = openssl(['pkeyutl', '-decrypt', '-inkey', keyPem, '-pkeyopt', 'rsa_padding_mode:oaep',
      '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256'], ciphertext);
    assert.equal(decrypted.ok, true);
    assert.deepEqual(decrypted.stdout, plaintext);
  });

  for (const [spec, curve] of [['ECC_NIST_P256', 'P-256'], ['ECC_NIST_P384', 'P-384'], ['ECC_NIST_P521', 'P-521']] as const) {
    test(`${spec} ECDH agrees with openssl pkeyutl -derive`, () => {
      const handle = handles.get(spec);
      assert.ok(handle);
      const peerPem = join(dir, `peer-${spec}.pem`);
      assert.equal(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', peerPem]).ok, true);
      const peerSpki = openssl(['pkey', '-in', peerPem, '-pubout', '-outform', 'DER']).stdout;
      const ours = deriveSharedSecret(handle, peerSpki);
      const theirs = openssl(['pkeyutl', '-derive', '-inkey', peerPem, '-peerkey', writePublicPem(`ours-${spec}`, handle.publicKey.spki)]);
      assert.equal(theirs.ok, true);
      assert.deepEqual(ours.expose(), theirs.stdout);
    });
  }
});
