import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { KMS_INPUT_SHAPES, KMS_OPERATION_INPUTS } from '../../src/api/generated/kms-schema.js';
import type { KmsOperationName } from '../../src/api/generated/kms-shapes.js';
import { KMS_OPERATIONS } from '../../src/api/operations/index.js';
import type { RequestOutcome } from '../../src/api/outcome.js';
import { issueGrantToken } from '../../src/auth/grants/grant-token.js';
import { sealCiphertextBlob } from '../../src/crypto/ciphertext-blob.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { createAccount } from '../authz/principals.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { callKms, type Credentials, type KmsAnswer } from './kms-json.js';

/**
 * "Other accounts must learn nothing" (issue #20): every operation that names a key answers a key of another
 * account that the caller may not use the same way whether that key exists or not — in its error, its message
 * and where its audit record goes — whether the key is named by key ARN, alias ARN, ciphertext or grant token.
 */

const PROBER_ACCOUNT = '444455556666';
const REGION = 'us-east-1';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** What a request names: the foreign key's reference, and a ciphertext and a grant token that name it. */
interface Target {
  readonly reference: string;
  readonly ciphertext: string;
  readonly grantToken: string;
}

interface ProbeCase {
  readonly name: string;
  readonly operation: string;
  readonly input: (target: Target) => Record<string, unknown>;
  /** False when the key is named by a ciphertext or grant token, which always carry a key ARN. */
  readonly byAlias?: false;
}

/** The prober's own key, alias and ciphertext, for operations that name a second key. */
const own = { keyArn: '', ciphertext: '' };

const key = (operation: string, extra: Record<string, unknown> = {}): ProbeCase => ({
  name: operation,
  operation,
  input: ({ reference }) => ({ KeyId: reference, ...extra }),
});

const CASES: readonly ProbeCase[] = [
  key('CancelKeyDeletion'),
  { name: 'CreateAlias', operation: 'CreateAlias', input: ({ reference }) => ({ AliasName: 'alias/probe', TargetKeyId: reference }) },
  key('CreateGrant', { GranteePrincipal: `arn:aws:iam::${PROBER_ACCOUNT}:root`, Operations: ['Decrypt'] }),
  key('Decrypt', { CiphertextBlob: b64('not a ciphertext') }),
  { name: 'Decrypt (the ciphertext names the key)', operation: 'Decrypt', input: ({ ciphertext }) => ({ CiphertextBlob: ciphertext }), byAlias: false },
  { name: 'DeleteAlias', operation: 'DeleteAlias', input: ({ reference }) => ({ AliasName: reference }) },
  key('DeriveSharedSecret', { KeyAgreementAlgorithm: 'ECDH', PublicKey: randomBytes(91).toString('base64') }),
  key('DescribeKey'),
  key('DisableKey'),
  key('DisableKeyRotation'),
  key('DeleteImportedKeyMaterial'),
  key('EnableKey'),
  key('EnableKeyRotation'),
  key('Encrypt', { Plaintext: b64('probe') }),
  key('GenerateDataKey', { NumberOfBytes: 32 }),
  key('GenerateDataKeyPair', { KeyPairSpec: 'ECC_NIST_P256' }),
  key('GenerateDataKeyPairWithoutPlaintext', { KeyPairSpec: 'ECC_NIST_P256' }),
  key('GenerateDataKeyWithoutPlaintext', { NumberOfBytes: 32 }),
  key('GenerateMac', { Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256' }),
  key('GetKeyLastUsage'),
  key('GetKeyPolicy'),
  key('GetKeyRotationStatus'),
  key('GetParametersForImport', { WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
  key('GetPublicKey'),
  key('ImportKeyMaterial', { ImportToken: b64('token'), EncryptedKeyMaterial: b64('material'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
  key('ListAliases'),
  key('ListGrants'),
  key('ListKeyPolicies'),
  key('ListKeyRotations'),
  key('ListResourceTags'),
  key('PutKeyPolicy', { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }),
  {
    name: 'ReEncrypt (source named by SourceKeyId)',
    operation: 'ReEncrypt',
    input: ({ reference }) => ({ CiphertextBlob: b64('not a ciphertext'), SourceKeyId: reference, DestinationKeyId: own.keyArn }),
  },
  {
    name: 'ReEncrypt (source named by the ciphertext)',
    operation: 'ReEncrypt',
    input: ({ ciphertext }) => ({ CiphertextBlob: ciphertext, DestinationKeyId: own.keyArn }),
    byAlias: false,
  },
  {
    name: 'ReEncrypt (destination)',
    operation: 'ReEncrypt',
    input: ({ reference }) => ({ CiphertextBlob: own.ciphertext, DestinationKeyId: reference }),
  },
  key('ReplicateKey', { ReplicaRegion: 'eu-west-1' }),
  key('RetireGrant', { GrantId: 'a'.repeat(64) }),
  { name: 'RetireGrant (by grant token)', operation: 'RetireGrant', input: ({ grantToken }) => ({ GrantToken: grantToken }), byAlias: false },
  key('RevokeGrant', { GrantId: 'a'.repeat(64) }),
  key('RotateKeyOnDemand'),
  key('ScheduleKeyDeletion'),
  key('Sign', { Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
  key('TagResource', { Tags: [{ TagKey: 'probe', TagValue: 'x' }] }),
  key('UntagResource', { TagKeys: ['probe'] }),
  { name: 'UpdateAlias (new target)', operation: 'UpdateAlias', input: ({ reference }) => ({ AliasName: 'alias/mine', TargetKeyId: reference }) },
  key('UpdateKeyDescription', { Description: 'probe' }),
  key('UpdatePrimaryRegion', { PrimaryRegion: 'eu-west-1' }),
  key('Verify', { Message: b64('m'), Signature: b64('s'), SigningAlgorithm: 'ECDSA_SHA_256' }),
  key('VerifyMac', { Message: b64('m'), Mac: b64('m'.repeat(32)), MacAlgorithm: 'HMAC_SHA_256' }),
];

/** The members by which an operation names a key, directly or inside a ciphertext or grant token. */
const KEY_NAMING_MEMBERS = ['KeyId', 'TargetKeyId', 'SourceKeyId', 'DestinationKeyId', 'CiphertextBlob', 'GrantToken', 'AliasName'];

describe('a key of another account is answered the same whether it exists or not', () => {
  let server: TestServer;
  let prober: Credentials;
  const outcomes: RequestOutcome[] = [];
  let existing: { key: Target; alias: Target; keyId: string };
  let missing: { key: Target; alias: Target };

  before(async () => {
    server = await startTestServer({ outcomes: { record: async (outcome) => void outcomes.push(outcome) } });
    const owner = server.credentials;
    prober = await createAccount(server, PROBER_ACCOUNT);
    const created = await callKms(server, owner, 'CreateKey', {});
    const keyArn = String((created.body['KeyMetadata'] as Record<string, unknown>)['Arn']);
    const keyId = String((created.body['KeyMetadata'] as Record<string, unknown>)['KeyId']);
    await callKms(server, owner, 'CreateAlias', { AliasName: 'alias/shared', TargetKeyId: keyId });
    const encrypted = await callKms(server, owner, 'Encrypt', { KeyId: keyId, Plaintext: b64('owner data') });
    const aliasArn = (name: string) => `arn:aws:kms:${REGION}:${server.accountId}:alias/${name}`;
    const missingArn = `arn:aws:kms:${REGION}:${server.accountId}:key/${randomUUID()}`;
    existing = {
      keyId,
      key: { reference: keyArn, ciphertext: String(encrypted.body['CiphertextBlob']), grantToken: forgedGrantToken(keyArn) },
      alias: { reference: aliasArn('shared'), ciphertext: '', grantToken: '' },
    };
    missing = {
      key: { reference: missingArn, ciphertext: forgedCiphertext(missingArn), grantToken: forgedGrantToken(missingArn) },
      alias: { reference: aliasArn('absent'), ciphertext: '', grantToken: '' },
    };

    const mine = await callKms(server, prober, 'CreateKey', {});
    own.keyArn = String((mine.body['KeyMetadata'] as Record<string, unknown>)['Arn']);
    await callKms(server, prober, 'CreateAlias', { AliasName: 'alias/mine', TargetKeyId: own.keyArn.split('/')[1] });
    own.ciphertext = String((await callKms(server, prober, 'Encrypt', { KeyId: own.keyArn, Plaintext: b64('mine') })).body['CiphertextBlob']);
  });
  after(() => server.stop());

  test('the cases cover every operation that names a key', () => {
    const covered = new Set(CASES.map((probe) => probe.operation));
    for (const [name, operation] of KMS_OPERATIONS) {
      const members = inputMembers(name);
      const namesKey = operation.key !== undefined || members.some((member) => KEY_NAMING_MEMBERS.includes(member));
      if (namesKey) assert.ok(covered.has(name), `${name} names a key but has no case here`);
    }
    // ListAliases is an account operation that takes a KeyId: the outlier the issue found.
    assert.ok(covered.has('ListAliases'));
  });

  for (const probe of CASES) {
    for (const naming of probe.byAlias === false ? (['key'] as const) : (['key', 'alias'] as const)) {
      test(`${probe.name}, named by ${naming === 'key' ? 'key ARN' : 'alias ARN'}`, async () => {
        const answers: Array<{ answer: KmsAnswer; target: Target }> = [];
        for (const target of [existing[naming], missing[naming]]) {
          answers.push({ answer: await callKms(server, prober, probe.operation, probe.input(target)), target });
        }
        const [onExisting, onMissing] = answers.map(({ answer, target }) => ({
          status: answer.status,
          error: answer.error,
          message: answer.message?.replaceAll(target.reference, '<reference>'),
          recipient: recipientOf(answer.requestId),
        }));
        assert.deepEqual(onExisting, onMissing);
        // Named by alias, the answer must not reveal the key behind it.
        if (naming === 'alias') assert.equal(answers[0]?.answer.message?.includes(existing.keyId), false);
        if (naming === 'key' && probe.operation !== 'DeleteAlias') {
          assert.equal(onExisting?.error, 'AccessDeniedException');
          assert.match(onExisting?.message ?? '', /^User: arn:aws:iam::444455556666:root is not authorized to perform: kms:\w+ on resource: /);
        }
      });
    }
  }

  function recipientOf(requestId: string): string | undefined {
    const outcome = outcomes.find((recorded) => recorded.requestId === requestId);
    assert.ok(outcome, `no outcome recorded for ${requestId}`);
    return outcome.resources[0]?.split(':')[4] ?? outcome.caller?.accountId;
  }
});

describe('ListAliases with another account\'s key', () => {
  test('is refused, not answered with an empty list when the key exists', async () => {
    const server = await startTestServer();
    try {
      const prober = await createAccount(server, PROBER_ACCOUNT);
      const created = await callKms(server, server.credentials, 'CreateKey', {});
      const keyArn = String((created.body['KeyMetadata'] as Record<string, unknown>)['Arn']);
      const answer = await callKms(server, prober, 'ListAliases', { KeyId: keyArn });
      assert.equal(answer.error, 'AccessDeniedException');
      assert.equal(
        answer.message,
        `User: arn:aws:iam::${PROBER_ACCOUNT}:root is not authorized to perform: kms:ListAliases on resource: ${keyArn} ` +
          'because no resource-based policy allows the kms:ListAliases action',
      );
      // The owner still lists its key's aliases.
      assert.equal((await callKms(server, server.credentials, 'ListAliases', { KeyId: keyArn })).status, 200);
    } finally {
      await server.stop();
    }
  });
});

function forgedCiphertext(keyArn: string): string {
  return sealCiphertextBlob({
    keyArn,
    materialId: randomBytes(32).toString('hex'),
    material: SecretBytes.copyOf(randomBytes(32)),
    plaintext: Buffer.from('forged'),
  }).toString('base64');
}

/** A well-formed token naming `keyArn` that no grant has: anyone can make one. */
function forgedGrantToken(keyArn: string): string {
  return issueGrantToken(randomBytes(32), keyArn);
}

function inputMembers(operation: string): string[] {
  const shape = KMS_INPUT_SHAPES[KMS_OPERATION_INPUTS[operation as KmsOperationName]];
  return shape?.type === 'structure' ? Object.keys(shape.members) : [];
}
