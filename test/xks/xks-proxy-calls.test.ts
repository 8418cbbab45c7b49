import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { keyArn } from '../../src/keys/key.js';
import { STRONGROOM_VERSION } from '../../src/xks/proxy/xks-health.js';
import {
  b64, bytes, KEY_IDS, MATERIAL, openLocally, REGION, requestMetadata, sealLocally, specAad, specCdiv, xksSeed,
} from './xks-fixtures.js';
import { startXksServer, type XksAnswer, type XksTestServer } from './xks-test-server.js';

/*
 * The four calls of the XKS proxy API against a real server, with requests signed by the AWS SDK's signer: what the
 * public XKS test client (aws-samples/aws-kms-xksproxy-test-client) checks, and known answers computed here with
 * node:crypto from the keys' known material.
 */

const API = '/xks/kms/xks/v1';
let server: XksTestServer;
before(async () => {
  server = await startXksServer({ seed: xksSeed });
});
after(() => server.stop());

const keyPath = (keyId: string, operation: string) => `${API}/keys/${keyId}/${operation}`;
const encrypt = (keyId: string, members: Record<string, unknown>) =>
  server.call(keyPath(keyId, 'encrypt'), { requestMetadata: requestMetadata('Encrypt'), encryptionAlgorithm: 'AES_GCM', ...members });
const decrypt = (keyId: string, members: Record<string, unknown>) =>
  server.call(keyPath(keyId, 'decrypt'), { requestMetadata: requestMetadata('Decrypt'), encryptionAlgorithm: 'AES_GCM', ...members });
const metadata = (keyId: string, body: unknown = { requestMetadata: requestMetadata('DescribeKey') }) => server.call(keyPath(keyId, 'metadata'), body);

/** The specification's error answer: this status, this errorName, a printable errorMessage under 512 characters. */
function assertXksError(answer: XksAnswer, status: number, errorName: string, label = ''): void {
  assert.equal(answer.status, status, `${label} ${answer.text}`);
  assert.equal(answer.json?.['errorName'], errorName, `${label} ${answer.text}`);
  const message = String(answer.json?.['errorMessage'] ?? '');
  assert.ok(message.length < 512 && /^[\x20-\x7e]*$/.test(message), message);
  assert.match(String(answer.headers['content-type']), /^application\/json/);
}

/** The Decrypt members of an Encrypt answer. */
function decryptMembersOf(answer: XksAnswer): Record<string, unknown> {
  const { ciphertext, initializationVector, authenticationTag, ciphertextMetadata } = answer.json ?? {};
  return { ciphertext, initializationVector, authenticationTag, ...(ciphertextMetadata !== undefined ? { ciphertextMetadata } : {}) };
}

async function materialIds(keyId: string): Promise<string[]> {
  return (await server.node.store.keys.listMaterials(keyArn({ accountId: server.accountId, region: REGION }, keyId))).map((material) => material.id);
}

describe('GetHealthStatus', () => {
  test('answers the fleet: one proxy, one key manager, ACTIVE after its deep check', async () => {
    const answer = await server.call(`${API}/health`, { requestMetadata: { kmsOperation: 'KmsHealthCheck', kmsRequestId: 'r-1' } });
    assert.equal(answer.status, 200, answer.text);
    assert.match(String(answer.headers['content-type']), /^application\/json/);
    assert.deepEqual(answer.json, {
      xksProxyFleetSize: 1,
      xksProxyVendor: 'Strongroom',
      xksProxyModel: `Strongroom XKS proxy ${STRONGROOM_VERSION}`,
      ekmVendor: 'Strongroom',
      ekmFleetDetails: [{ id: `strongroom-${server.node.rootKey.id}`, model: `Strongroom ${STRONGROOM_VERSION} (file root of trust)`, healthStatus: 'ACTIVE' }],
    });
  });

  test('the version the models name is package.json\'s', () => {
    const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(STRONGROOM_VERSION, packageJson.version);
  });

  test('refuses a body without requestMetadata, or with an empty one: ValidationException', async () => {
    assertXksError(await server.call(`${API}/health`, {}), 400, 'ValidationException');
    assertXksError(await server.call(`${API}/health`, { requestMetadata: {} }), 400, 'ValidationException');
    assertXksError(await server.call(`${API}/health`, 'not json'), 400, 'ValidationException');
  });

  test('accepts a kmsOperation it has never heard of', async () => {
    const answer = await server.call(`${API}/health`, { requestMetadata: { kmsOperation: 'SomeFutureOperation', kmsRequestId: 'r-2' } });
    assert.equal(answer.status, 200);
  });
});

describe('GetKeyMetadata', () => {
  test('of a key the credential may use fully: AES_256, ENCRYPT and DECRYPT, ENABLED (by key id, for DescribeKey and CreateKey)', async () => {
    for (const kmsOperation of ['DescribeKey', 'CreateKey']) {
      const answer = await metadata(KEY_IDS.main, { requestMetadata: requestMetadata(kmsOperation) });
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.json, { keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'ENABLED' });
    }
  });

  test('names a key by an alias without its alias/ prefix', async () => {
    const answer = await metadata('xks-main');
    assert.deepEqual(answer.json, { keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'ENABLED' });
  });

  test('keyUsage is what the key policy lets the credential do; keyStatus follows the key state', async () => {
    assert.deepEqual((await metadata(KEY_IDS.impotent)).json, { keySpec: 'AES_256', keyUsage: [], keyStatus: 'ENABLED' });
    assert.deepEqual((await metadata(KEY_IDS.disabled)).json, { keySpec: 'AES_256', keyUsage: ['ENCRYPT', 'DECRYPT'], keyStatus: 'DISABLED' });
    assert.deepEqual((await metadata(KEY_IDS.hmac)).json, { keySpec: 'HMAC_256', keyUsage: [], keyStatus: 'ENABLED' });
  });

  test('a key the credential may not describe: AccessDeniedException (403)', async () => {
    for (const keyId of [KEY_IDS.ungranted, KEY_IDS.encryptOnly]) assertXksError(await metadata(keyId), 403, 'AccessDeniedException');
  });

  test('a key that does not exist: KeyNotFoundException (404), whatever its name looks like', async () => {
    for (const keyId of ['non_existing_key', '00000000-0000-0000-0000-000000000000', 'a.b', 'x'.repeat(128)]) {
      assertXksError(await metadata(keyId), 404, 'KeyNotFoundException');
    }
  });

  test('refuses a body without requestMetadata, with an empty one, or without awsPrincipalArn: ValidationException', async () => {
    assertXksError(await metadata(KEY_IDS.main, {}), 400, 'ValidationException');
    assertXksError(await metadata(KEY_IDS.main, { requestMetadata: {} }), 400, 'ValidationException');
    assertXksError(await metadata(KEY_IDS.main, { requestMetadata: { kmsOperation: 'CreateKey', kmsRequestId: 'r' } }), 400, 'ValidationException');
  });
});

describe('Encrypt', () => {
  test('known answer: AES-256-GCM under the current material, AAD with both lengths, metadata naming the version', async () => {
    const plaintext = Buffer.from('Hello World!');
    const aad = Buffer.from('project=nile,department=marketing');
    const answer = await encrypt(KEY_IDS.main, { plaintext: b64(plaintext), additionalAuthenticatedData: b64(aad) });
    assert.equal(answer.status, 200, answer.text);
    const iv = bytes(answer.json?.['initializationVector']);
    const ciphertext = bytes(answer.json?.['ciphertext']);
    const tag = bytes(answer.json?.['authenticationTag']);
    const ciphertextMetadata = bytes(answer.json?.['ciphertextMetadata']);
    assert.equal(iv.length, 12);
    assert.equal(tag.length, 16);
    assert.equal(ciphertext.length, plaintext.length);
    const [oldId, currentId] = await materialIds(KEY_IDS.main);
    assert.deepEqual(ciphertextMetadata, Buffer.from(currentId!.slice(0, 32), 'hex'));
    assert.notDeepEqual(ciphertextMetadata, Buffer.from(oldId!.slice(0, 32), 'hex'));
    assert.deepEqual(openLocally(MATERIAL.mainCurrent, iv, ciphertext, tag, specAad(aad, ciphertextMetadata)), plaintext);
    assert.equal(answer.json?.['ciphertextDataIntegrityValue'], undefined);
  });

  test('with a CDIV: Appendix C\'s hash over AAD, metadata, IV, ciphertext and tag, with and without AAD', async () => {
    for (const aad of [Buffer.from('project=nile,department=marketing'), undefined]) {
      const answer = await encrypt(KEY_IDS.main, {
        plaintext: b64('SGVsbG8='),
        ciphertextDataIntegrityValueAlgorithm: 'SHA_256',
        ...(aad ? { additionalAuthenticatedData: b64(aad) } : {}),
      });
      assert.equal(answer.status, 200, answer.text);
      const json = answer.json ?? {};
      assert.equal(json['ciphertextDataIntegrityValue'], specCdiv({
        ...(aad ? { aad } : {}),
        metadata: bytes(json['ciphertextMetadata']),
        iv: bytes(json['initializationVector']),
        ciphertext: bytes(json['ciphertext']),
        tag: bytes(json['authenticationTag']),
      }));
    }
  });

  test('every IV is fresh', async () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 20; i++) ivs.add(String((await encrypt(KEY_IDS.main, { plaintext: b64('same') })).json?.['initializationVector']));
    assert.equal(ivs.size, 20);
  });

  test('refuses missing or malformed members: ValidationException; unsupported algorithms: UnsupportedOperationException', async () => {
    assertXksError(await encrypt(KEY_IDS.main, {}), 400, 'ValidationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: 'not base64!' }), 400, 'ValidationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: 'QQ' }), 400, 'ValidationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: 42 }), 400, 'ValidationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: b64('x'), additionalAuthenticatedData: 'a-b' }), 400, 'ValidationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: b64('x'), encryptionAlgorithm: undefined }), 400, 'ValidationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: b64('x'), encryptionAlgorithm: 'AES_CBC' }), 501, 'UnsupportedOperationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: b64('x'), ciphertextDataIntegrityValueAlgorithm: 'MD5' }), 501, 'UnsupportedOperationException');
    const withoutKeyArn = await server.call(keyPath(KEY_IDS.main, 'encrypt'), {
      requestMetadata: { awsPrincipalArn: 'arn:aws:iam::123456789012:user/Alice', kmsOperation: 'Encrypt', kmsRequestId: 'r' },
      plaintext: b64('x'),
      encryptionAlgorithm: 'AES_GCM',
    });
    assertXksError(withoutKeyArn, 400, 'ValidationException');
  });

  test('4300 bytes of plaintext and 8192 of AAD round-trip; one byte more is UnsupportedOperationException', async () => {
    const plaintext = randomBytes(4300);
    const aad = randomBytes(8192);
    const sealed = await encrypt(KEY_IDS.main, { plaintext: b64(plaintext), additionalAuthenticatedData: b64(aad) });
    assert.equal(sealed.status, 200, sealed.text);
    const opened = await decrypt(KEY_IDS.main, { ...decryptMembersOf(sealed), additionalAuthenticatedData: b64(aad) });
    assert.deepEqual(bytes(opened.json?.['plaintext']), plaintext);
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: b64(randomBytes(4301)) }), 501, 'UnsupportedOperationException');
    assertXksError(await encrypt(KEY_IDS.main, { plaintext: b64('x'), additionalAuthenticatedData: b64(randomBytes(8193)) }), 501, 'UnsupportedOperationException');
  });
});

describe('Decrypt', () => {
  test('round trips with and without AAD, with and without a CDIV (the public test client\'s sequence)', async () => {
    for (const aad of [undefined, Buffer.from('project=nile,department=marketing')]) {
      for (const cdiv of [false, true]) {
        const plaintext = randomBytes(32);
        const aadMember = aad ? { additionalAuthenticatedData: b64(aad) } : {};
        const sealed = await encrypt(KEY_IDS.main, { plaintext: b64(plaintext), ...aadMember, ...(cdiv ? { ciphertextDataIntegrityValueAlgorithm: 'SHA_256' } : {}) });
        assert.equal(sealed.status, 200, sealed.text);
        const opened = await decrypt(KEY_IDS.main, { ...decryptMembersOf(sealed), ...aadMember });
        assert.equal(opened.status, 200, opened.text);
        assert.deepEqual(Object.keys(opened.json ?? {}), ['plaintext']);
        assert.deepEqual(bytes(opened.json?.['plaintext']), plaintext);
      }
    }
  });

  test('by alias too', async () => {
    const sealed = await server.call(`${API}/keys/xks-main/encrypt`, { requestMetadata: requestMetadata('Encrypt'), encryptionAlgorithm: 'AES_GCM', plaintext: b64('via alias') });
    const opened = await decrypt(KEY_IDS.main, decryptMembersOf(sealed));
    assert.equal(bytes(opened.json?.['plaintext']).toString(), 'via alias');
  });

  test('known answer: a ciphertext made here under the older material version (before a rotation) decrypts', async () => {
    const [oldId] = await materialIds(KEY_IDS.main);
    const ciphertextMetadata = Buffer.from(oldId!.slice(0, 32), 'hex');
    const iv = randomBytes(12);
    const aad = Buffer.from('made before the rotation');
    const plaintext = Buffer.from('an older data key');
    const { ciphertext, tag } = sealLocally(MATERIAL.mainOld, iv, plaintext, specAad(aad, ciphertextMetadata));
    const opened = await decrypt(KEY_IDS.main, {
      ciphertext: b64(ciphertext), initializationVector: b64(iv), authenticationTag: b64(tag),
      ciphertextMetadata: b64(ciphertextMetadata), additionalAuthenticatedData: b64(aad),
    });
    assert.equal(opened.status, 200, opened.text);
    assert.deepEqual(bytes(opened.json?.['plaintext']), plaintext);
  });

  test('missing AAD, other AAD, or any byte changed: InvalidCiphertextException', async () => {
    const aad = Buffer.from('project=nile,department=marketing');
    const sealed = await encrypt(KEY_IDS.main, { plaintext: b64('secret'), additionalAuthenticatedData: b64(aad) });
    const members: Record<string, unknown> = { ...decryptMembersOf(sealed), additionalAuthenticatedData: b64(aad) };
    const flip = (member: string) => {
      const value = bytes(members[member]);
      value[0]! ^= 1;
      return { ...members, [member]: b64(value) };
    };
    const { additionalAuthenticatedData: _dropped, ...withoutAad } = members;
    const { ciphertextMetadata: _noMetadata, ...withoutMetadata } = members;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['missing AAD', withoutAad],
      ['other AAD', { ...members, additionalAuthenticatedData: b64('project=blue,department=finance') }],
      ['the AAD given as metadata', { ...withoutAad, ciphertextMetadata: b64(aad.subarray(0, 20)) }],
      ['a changed ciphertext', flip('ciphertext')],
      ['a changed tag', flip('authenticationTag')],
      ['a changed IV', flip('initializationVector')],
      ['a changed metadata', flip('ciphertextMetadata')],
      ['no metadata', withoutMetadata],
      ['a 16-byte IV', { ...members, initializationVector: b64(randomBytes(16)) }],
    ];
    for (const [what, body] of cases) assertXksError(await decrypt(KEY_IDS.main, body), 400, 'InvalidCiphertextException', what);
    // Another key's ciphertext (another key, other material) does not open either.
    const other = await decrypt(KEY_IDS.decryptOnly, members);
    assertXksError(other, 400, 'InvalidCiphertextException');
  });

  test('refuses malformed members: ValidationException', async () => {
    const sealed = await encrypt(KEY_IDS.main, { plaintext: b64('x') });
    const members = decryptMembersOf(sealed);
    assertXksError(await decrypt(KEY_IDS.main, { ...members, initializationVector: b64(randomBytes(13)) }), 400, 'ValidationException');
    assertXksError(await decrypt(KEY_IDS.main, { ...members, authenticationTag: b64(randomBytes(12)) }), 400, 'ValidationException');
    assertXksError(await decrypt(KEY_IDS.main, { ...members, ciphertextMetadata: b64(randomBytes(21)) }), 400, 'ValidationException');
    assertXksError(await decrypt(KEY_IDS.main, { ...members, ciphertext: undefined }), 400, 'ValidationException');
  });
});

describe('keys the credential may use only in part, or not at all', () => {
  test('an encrypt-only key encrypts; Decrypt, and Encrypt with a CDIV (which promises a Decrypt), are InvalidKeyUsageException', async () => {
    const sealed = await encrypt(KEY_IDS.encryptOnly, { plaintext: b64('x') });
    assert.equal(sealed.status, 200, sealed.text);
    assertXksError(await decrypt(KEY_IDS.encryptOnly, decryptMembersOf(sealed)), 400, 'InvalidKeyUsageException');
    for (const aad of [{}, { additionalAuthenticatedData: b64('aad') }]) {
      assertXksError(await encrypt(KEY_IDS.encryptOnly, { plaintext: b64('x'), ciphertextDataIntegrityValueAlgorithm: 'SHA_256', ...aad }), 400, 'InvalidKeyUsageException');
    }
  });

  test('a decrypt-only key decrypts (known answer); Encrypt is InvalidKeyUsageException', async () => {
    const [materialId] = await materialIds(KEY_IDS.decryptOnly);
    const ciphertextMetadata = Buffer.from(materialId!.slice(0, 32), 'hex');
    const iv = randomBytes(12);
    const { ciphertext, tag } = sealLocally(MATERIAL.decryptOnly, iv, Buffer.from('decrypt me'), specAad(undefined, ciphertextMetadata));
    const opened = await decrypt(KEY_IDS.decryptOnly, {
      ciphertext: b64(ciphertext), initializationVector: b64(iv), authenticationTag: b64(tag), ciphertextMetadata: b64(ciphertextMetadata),
    });
    assert.equal(bytes(opened.json?.['plaintext']).toString(), 'decrypt me');
    assertXksError(await encrypt(KEY_IDS.decryptOnly, { plaintext: b64('x') }), 400, 'InvalidKeyUsageException');
    assertXksError(await encrypt(KEY_IDS.decryptOnly, { plaintext: b64('x'), ciphertextDataIntegrityValueAlgorithm: 'SHA_256' }), 400, 'InvalidKeyUsageException');
  });

  test('an "impotent" key (the credential may only describe it): Encrypt and Decrypt are InvalidKeyUsageException', async () => {
    assertXksError(await encrypt(KEY_IDS.impotent, { plaintext: b64('x') }), 400, 'InvalidKeyUsageException');
    const sealed = await encrypt(KEY_IDS.main, { plaintext: b64('x') });
    assertXksError(await decrypt(KEY_IDS.impotent, decryptMembersOf(sealed)), 400, 'InvalidKeyUsageException');
  });

  test('a key whose policy grants the credential nothing: AccessDeniedException (403)', async () => {
    assertXksError(await encrypt(KEY_IDS.ungranted, { plaintext: b64('x') }), 403, 'AccessDeniedException');
    const sealed = await encrypt(KEY_IDS.main, { plaintext: b64('x') });
    assertXksError(await decrypt(KEY_IDS.ungranted, decryptMembersOf(sealed)), 403, 'AccessDeniedException');
  });

  test('a disabled key: InvalidStateException; a key that is not AES: InvalidKeyUsageException; none: KeyNotFoundException', async () => {
    assertXksError(await encrypt(KEY_IDS.disabled, { plaintext: b64('x') }), 400, 'InvalidStateException');
    assertXksError(await encrypt(KEY_IDS.hmac, { plaintext: b64('x') }), 400, 'InvalidKeyUsageException');
    assertXksError(await encrypt('non_existing_key', { plaintext: b64('x') }), 404, 'KeyNotFoundException');
    const sealed = await encrypt(KEY_IDS.main, { plaintext: b64('x') });
    assertXksError(await decrypt(KEY_IDS.disabled, decryptMembersOf(sealed)), 400, 'InvalidStateException');
  });
});
