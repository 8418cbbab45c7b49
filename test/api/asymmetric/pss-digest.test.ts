import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignCommand, VerifyCommand, type KMSClient, type MessageType, type SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createKeyOf, hashOf, publicKeyOf, type CreatedKey } from './asymmetric-fixtures.js';

/**
 * RSASSA-PSS with MessageType DIGEST (issue 18), as AWS does it: the digest is signed as given (never hashed
 * again), with MGF1 over the same hash and a salt as long as the digest. Proven against OpenSSL's own
 * pre-hashed PSS (`openssl pkeyutl -verify -pkeyopt digest:... -pkeyopt rsa_padding_mode:pss`) with the
 * public key from GetPublicKey, and against our RAW path in both directions through the server.
 * Without `openssl` the interop tests are skipped with a message, except under CI, where they fail.
 */

const SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
const ALGORITHMS = ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'] as const;

const opensslFound = spawnSync('openssl', ['version']).status === 0;
const skipInterop = !opensslFound && process.env['CI'] === undefined ? 'openssl is not installed: the interop proof is skipped' : false;

describe('RSASSA-PSS over a DIGEST through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  let dir = '';
  const keys = new Map<string, CreatedKey>();
  const key = (spec: string): CreatedKey => {
    const found = keys.get(spec);
    assert.ok(found, `no key for ${spec}`);
    return found;
  };
  const sign = async (spec: string, algorithm: SigningAlgorithmSpec, message: Buffer, type: MessageType): Promise<Buffer> =>
    Buffer.from((await kms.send(new SignCommand({ KeyId: key(spec).id, SigningAlgorithm: algorithm, Message: message, MessageType: type }))).Signature ?? []);
  const verify = async (spec: string, algorithm: SigningAlgorithmSpec, message: Buffer, type: MessageType, signature: Buffer): Promise<boolean> =>
    (await kms.send(new VerifyCommand({ KeyId: key(spec).arn, SigningAlgorithm: algorithm, Message: message, MessageType: type, Signature: signature }))).SignatureValid === true;

  /** `openssl pkeyutl -verify` of a PSS signature over `digest`, with AWS's parameters, against GetPublicKey's key. */
  const opensslVerifies = async (spec: string, algorithm: SigningAlgorithmSpec, digest: Buffer, signature: Buffer): Promise<boolean> => {
    const { keyObject } = await publicKeyOf(kms, key(spec).id);
    const files = { pem: join(dir, `${spec}.pem`), digest: join(dir, 'digest'), sig: join(dir, 'sig') };
    writeFileSync(files.pem, keyObject().export({ format: 'pem', type: 'spki' }));
    writeFileSync(files.digest, digest);
    writeFileSync(files.sig, signature);
    const hash = hashOf(algorithm);
    const result = spawnSync('openssl', [
      'pkeyutl', '-verify', '-pubin', '-inkey', files.pem, '-in', files.digest, '-sigfile', files.sig,
      '-pkeyopt', `digest:${hash}`, '-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:digest', '-pkeyopt', `rsa_mgf1_md:${hash}`,
    ]);
    if (result.error) throw result.error; // openssl absent under CI: fail loudly
    return result.status === 0;
  };

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
    for (const spec of SPECS) keys.set(spec, await createKeyOf(kms, spec, 'SIGN_VERIFY'));
    dir = mkdtempSync(join(tmpdir(), 'strongroom-pss-digest-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  });

  for (const spec of SPECS) {
    for (const algorithm of ALGORITHMS) {
      const message = Buffer.from(`a release artifact too large to send, hashed locally, for ${spec} ${algorithm}`);
      const digest = (): Buffer => createHash(hashOf(algorithm)).update(message).digest();

      test(`${spec} ${algorithm}: Sign with DIGEST signs; openssl pkeyutl verifies it over the digest`, { skip: skipInterop }, async () => {
        const signature = await sign(spec, algorithm, digest(), 'DIGEST');
        assert.equal(await opensslVerifies(spec, algorithm, digest(), signature), true);
        const otherDigest = createHash(hashOf(algorithm)).update('another artifact').digest();
        assert.equal(await opensslVerifies(spec, algorithm, otherDigest, signature), false);
        // What RAW signs is the same thing, so openssl's pre-hashed verification takes it too.
        assert.equal(await opensslVerifies(spec, algorithm, digest(), await sign(spec, algorithm, message, 'RAW')), true);
      });

      test(`${spec} ${algorithm}: DIGEST and RAW signatures are interchangeable through Verify`, async () => {
        const fromDigest = await sign(spec, algorithm, digest(), 'DIGEST');
        const fromMessage = await sign(spec, algorithm, message, 'RAW');
        assert.equal(await verify(spec, algorithm, message, 'RAW', fromDigest), true, 'a DIGEST signature is the RAW signature of the message');
        assert.equal(await verify(spec, algorithm, digest(), 'DIGEST', fromMessage), true, 'a RAW signature verifies over the digest');
        assert.equal(await verify(spec, algorithm, digest(), 'DIGEST', fromDigest), true);
        const again = await sign(spec, algorithm, digest(), 'DIGEST');
        assert.notDeepEqual(again, fromDigest, 'each PSS signature has a fresh random salt');
        assert.equal(await verify(spec, algorithm, digest(), 'DIGEST', again), true);
      });
    }
  }

  test('Verify with DIGEST: a signature over another digest is KMSInvalidSignatureException', async () => {
    const digest = createHash('sha384').update('signed').digest();
    const signature = await sign('RSA_3072', 'RSASSA_PSS_SHA_384', digest, 'DIGEST');
    const other = createHash('sha384').update('tampered').digest();
    await assert.rejects(verify('RSA_3072', 'RSASSA_PSS_SHA_384', other, 'DIGEST', signature), { name: 'KMSInvalidSignatureException' });
    // The same bytes under another PSS hash (salt and MGF1 differ) do not verify either.
    await assert.rejects(verify('RSA_3072', 'RSASSA_PSS_SHA_256', digest.subarray(0, 32), 'DIGEST', signature), { name: 'KMSInvalidSignatureException' });
    const truncated = signature.subarray(1);
    await assert.rejects(verify('RSA_3072', 'RSASSA_PSS_SHA_384', digest, 'DIGEST', truncated), { name: 'KMSInvalidSignatureException' });
  });

  test("a digest of the wrong length is ValidationException with AWS's message, as for PKCS#1 DIGEST", async () => {
    for (const [algorithm, length] of [['RSASSA_PSS_SHA_256', 31], ['RSASSA_PSS_SHA_384', 32], ['RSASSA_PSS_SHA_512', 48]] as const) {
      const expected = { name: 'ValidationException', message: `Digest is invalid length for algorithm ${algorithm}.` };
      await assert.rejects(sign('RSA_2048', algorithm, Buffer.alloc(length), 'DIGEST'), expected);
      await assert.rejects(verify('RSA_2048', algorithm, Buffer.alloc(length), 'DIGEST', Buffer.alloc(256)), expected);
      // The recorded AWS answer (LocalStack's test_sign_verify[RSA_2048-<algorithm>]/bad-digest): a message, not
      // a digest, sent as DIGEST is ValidationException.
      await assert.rejects(sign('RSA_2048', algorithm, Buffer.from('test message !%$@ 1234567890'), 'DIGEST'), { name: 'ValidationException' });
    }
    await assert.rejects(sign('RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', Buffer.alloc(31), 'DIGEST'), {
      name: 'ValidationException',
      message: 'Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_256.',
    });
  });
});
