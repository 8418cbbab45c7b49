import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KeySpec, SigningAlgorithm } from '../../../src/keys/key-spec.js';
import { loadPrivateKey, loadPublicKey, sign, verify, type PrivateKeyHandle } from '../../../src/crypto/asymmetric/index.js';
import { signEd25519ph, verifyEd25519ph } from '../../../src/crypto/asymmetric/noble-signatures.js';
import { createKeyPairGenerator } from '../../../src/crypto/key-generation/key-pair-generator.js';
import { hexField, OutcomeTally, wycheproof } from './wycheproof-vectors.js';

/**
 * ECDSA over a DIGEST and Ed25519ph, computed by @noble/curves behind `sign`/`verify`: Wycheproof ECDSA
 * vectors through the DIGEST path (the message hashed first), interop with the openssl CLI in both
 * directions, and RFC 8032's Ed25519ph test vector.
 */

const OPENSSL = '/usr/bin/openssl';
const EC_SPECS = [
  ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256', 'P-256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384', 'P-384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512', 'P-521'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256', 'secp256k1'],
] as const;

function openssl(args: readonly string[]): boolean {
  const result = spawnSync(OPENSSL, args);
  if (result.error) throw result.error; // openssl absent: fail loudly, this is the interop proof
  return result.status === 0;
}

function digestFile(file: string, spec: KeySpec, algorithm: SigningAlgorithm, hash: string, valid: number, invalid: number): void {
  const vectors = wycheproof(file);
  test(`${file} through DIGEST as ${spec} / ${algorithm}`, { skip: vectors.skip }, () => {
    const data = vectors.load();
    const tally = new OutcomeTally();
    for (const group of data.testGroups) {
      const publicKey = loadPublicKey(hexField(group, 'publicKeyDer'), spec);
      for (const testCase of group.tests) {
        const digest = createHash(hash).update(hexField(testCase, 'msg')).digest();
        const accepted = verify(publicKey, algorithm, digest, 'DIGEST', hexField(testCase, 'sig'));
        tally.add(`${testCase.result}:${accepted ? 'accepted' : 'rejected'}`);
      }
    }
    assert.deepEqual(tally.toObject(), { 'invalid:rejected': invalid, 'valid:accepted': valid });
  });
}

describe('Wycheproof ECDSA (DER) through the DIGEST path', () => {
  digestFile('ecdsa_secp256r1_sha256_test.json', 'ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256', 174, 310);
  digestFile('ecdsa_secp384r1_sha384_test.json', 'ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384', 194, 310);
  digestFile('ecdsa_secp521r1_sha512_test.json', 'ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512', 232, 310);
  digestFile('ecdsa_secp256k1_sha256_test.json', 'ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256', 168, 308);
});

describe('ECDSA DIGEST signatures interoperate with openssl and node:crypto', () => {
  const handles = new Map<KeySpec, PrivateKeyHandle>();
  let dir = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-noble-'));
    const generator = createKeyPairGenerator({ rsaPoolSizePerSpec: 0 });
    for (const [spec] of EC_SPECS) handles.set(spec, loadPrivateKey((await generator.generateKeyPair(spec)).privateKey, spec));
    await generator.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [spec, algorithm, hash, curve] of EC_SPECS) {
    test(`${spec}: our DIGEST signature verifies with openssl pkeyutl and as node's RAW signature of the message`, () => {
      const handle = handles.get(spec);
      assert.ok(handle);
      const message = Buffer.from(`release artifact for ${spec}`);
      const digest = createHash(hash).update(message).digest();
      const signature = sign(handle, algorithm, digest, 'DIGEST');
      assert.equal(nodeVerify(hash, message, { key: handle.publicKey.spki, format: 'der', type: 'spki', dsaEncoding: 'der' }, signature), true);
      assert.equal(verify(handle.publicKey, algorithm, digest, 'DIGEST', signature), true);
      assert.equal(verify(handle.publicKey, algorithm, createHash(hash).update('other').digest(), 'DIGEST', signature), false);
      const pem = join(dir, `${spec}.pem`);
      writeFileSync(pem, createPublicKey({ key: handle.publicKey.spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }));
      writeFileSync(join(dir, 'digest'), digest);
      writeFileSync(join(dir, 'sig'), signature);
      assert.equal(openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-in', join(dir, 'digest'), '-sigfile', join(dir, 'sig')]), true);
    });

    test(`${spec}: an openssl pkeyutl signature over a digest verifies through DIGEST (openssl's throwaway key)`, () => {
      const keyPem = join(dir, `openssl-${spec}.pem`);
      assert.equal(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', keyPem]), true);
      const digest = createHash(hash).update('signed by openssl').digest();
      writeFileSync(join(dir, 'digest'), digest);
      assert.equal(openssl(['pkeyutl', '-sign', '-inkey', keyPem, '-in', join(dir, 'digest'), '-out', join(dir, 'sig')]), true);
      const spki = createPublicKey(createPrivateKey(readFileSync(keyPem))).export({ format: 'der', type: 'spki' });
      const signature = readFileSync(join(dir, 'sig'));
      assert.equal(verify(loadPublicKey(spki, spec), algorithm, digest, 'DIGEST', signature), true);
    });
  }
});

describe('Ed25519ph (ED25519_PH_SHA_512)', () => {
  // RFC 8032 §7.3, the Ed25519ph test vector ("abc").
  const seed = Buffer.from('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42', 'hex');
  const rawPublicKey = 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf';
  const expected = Buffer.from(
    '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
    'hex',
  );
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);

  test('RFC 8032 test vector: signs to the expected signature and verifies', () => {
    assert.equal(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('hex'), rawPublicKey);
    assert.deepEqual(signEd25519ph(privateKey, Buffer.from('abc')), expected);
    assert.equal(verifyEd25519ph(publicKey, Buffer.from('abc'), expected), true);
    assert.equal(verifyEd25519ph(publicKey, Buffer.from('abd'), expected), false);
    assert.equal(verifyEd25519ph(publicKey, Buffer.from('abc'), expected.subarray(1)), false);
  });

  test('through sign/verify: a 64-byte DIGEST is hashed once more, as AWS documents', async () => {
    const generator = createKeyPairGenerator({ rsaPoolSizePerSpec: 0 });
    const handle = loadPrivateKey((await generator.generateKeyPair('ECC_NIST_EDWARDS25519')).privateKey, 'ECC_NIST_EDWARDS25519');
    await generator.close();
    assert.equal(handle.backend, 'openssl');
    const digest = createHash('sha512').update('a JWT signing input').digest();
    const signature = sign(handle, 'ED25519_PH_SHA_512', digest, 'DIGEST');
    assert.equal(verify(handle.publicKey, 'ED25519_PH_SHA_512', digest, 'DIGEST', signature), true);
    assert.equal(verify(handle.publicKey, 'ED25519_PH_SHA_512', Buffer.alloc(64), 'DIGEST', signature), false);
    if (handle.backend === 'openssl') assert.deepEqual(signature, signEd25519ph(handle.keyObject, digest), 'Ed25519ph is deterministic');
  });
});
