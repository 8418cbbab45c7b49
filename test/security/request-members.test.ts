import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KMS_INPUT_SHAPES, KMS_OPERATION_INPUTS } from '../../src/api/generated/kms-schema.js';
import type { KmsOperationName } from '../../src/api/generated/kms-shapes.js';
import { KMS_OPERATIONS } from '../../src/api/operations/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { callKms, type KmsAnswer } from './kms-json.js';

/**
 * Every request member of every KMS operation, decided (issue #20): either the server acts on it, or it refuses
 * the request with AWS's error — never ignores a member that changes what the request means (a CreateKey with
 * `CustomKeyStoreId` once made an ordinary key). The table is checked against the generated schema, which
 * test/api/generated-check.test.ts keeps in step with the AWS model: a member the model gains fails this test
 * until someone decides what the server does with it.
 */

/** What the requests below need: keys of each kind, a ciphertext, and the caller's root ARN. */
interface Fixture {
  readonly symmetric: string;
  readonly agreement: string;
  readonly ciphertext: string;
  readonly root: string;
}

type Input = (fixture: Fixture) => Record<string, unknown>;

interface Refusal {
  readonly error: string;
  readonly input: Input;
}

type Decision =
  | { readonly kind: 'acted on'; readonly how: string; readonly refuses?: Refusal; readonly check?: (t: Tools) => Promise<void> }
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'operation not implemented' };

interface Tools {
  readonly fixture: Fixture;
  call(operation: string, input: Record<string, unknown>): Promise<KmsAnswer>;
}

const acted = (how: string, more: { refuses?: Refusal; check?: (t: Tools) => Promise<void> } = {}): Decision => ({
  kind: 'acted on',
  how,
  ...more,
});
const refused = (error: string, input: Input): Decision => ({ kind: 'refused', refusal: { error, input } });

const b64 = (text: string) => Buffer.from(text).toString('base64');
const RECIPIENT = { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: b64('attestation') };
const KEY = acted('names the key: resolved, authorized and state-checked by the pipeline');
const GRANT_TOKENS = acted('the authorizer adds the grants the tokens name');
const DRY_RUN = acted('the pipeline answers DryRunOperationException after every check');
const PAGING = acted('paging (wire/paging.ts)');
const ENCRYPTION_CONTEXT = acted('bound to the ciphertext as AAD; a condition key');
const RECIPIENT_REFUSED = (input: Input) => refused('UnsupportedOperationException', (f) => ({ ...input(f), Recipient: RECIPIENT }));
const DRY_RUN_MODIFIERS = (input: Input) =>
  acted('without IGNORE_CIPHERTEXT a dry run also checks the ciphertext', {
    async check({ fixture, call }) {
      const tampered = Buffer.from(fixture.ciphertext, 'base64');
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
      const request = { ...input(fixture), CiphertextBlob: tampered.toString('base64'), DryRun: true };
      assert.equal((await call('', request)).error, 'InvalidCiphertextException');
      assert.equal((await call('', { ...request, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).error, 'DryRunOperationException');
      assert.equal((await call('', { ...input(fixture), DryRun: true })).error, 'DryRunOperationException');
    },
  });

const UNKNOWN_STORE = 'cks-1234567890abcdef0';
const STORE: Decision = acted('names the custom key store (CustomKeyStoreNotFoundException when none has the id)', {
  refuses: { error: 'CustomKeyStoreNotFoundException', input: () => ({ CustomKeyStoreId: UNKNOWN_STORE }) },
});
/** An external key store's proxy settings: no such store can be made here, and a CloudHSM store has no proxy. */
const xksRefused = (member: string, value: unknown, input: Record<string, unknown>) =>
  refused('ValidationException', () => ({ ...input, [member]: value }));
const XKS_PROXY_VALUES: Readonly<Record<string, unknown>> = {
  XksProxyUriEndpoint: 'https://xks.example.com',
  XksProxyUriPath: '/kms/xks/v1',
  XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-example',
  XksProxyVpcEndpointServiceOwner: '111122223333',
  XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) },
  XksProxyConnectivity: 'PUBLIC_ENDPOINT',
};
const xksMembers = (input: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(XKS_PROXY_VALUES).map(([member, value]) => [member, xksRefused(member, value, input)]));

const decryptInput: Input = (f) => ({ KeyId: f.symmetric, CiphertextBlob: f.ciphertext });
const reEncryptInput: Input = (f) => ({ CiphertextBlob: f.ciphertext, DestinationKeyId: f.symmetric });

const DECISIONS: Readonly<Record<KmsOperationName, Readonly<Record<string, Decision>>>> = {
  CancelKeyDeletion: { KeyId: KEY },
  ConnectCustomKeyStore: { CustomKeyStoreId: STORE },
  CreateAlias: { AliasName: acted('the alias created'), TargetKeyId: KEY },
  CreateCustomKeyStore: {
    CustomKeyStoreName: acted('the store\'s name, unique in the account and region'),
    CloudHsmClusterId: acted('a cluster the operator registered', {
      refuses: {
        error: 'CloudHsmClusterNotFoundException',
        input: () => ({ CustomKeyStoreName: 'x', CloudHsmClusterId: 'cluster-notregistered', TrustAnchorCertificate: 'x', KeyStorePassword: 'password' }),
      },
    }),
    TrustAnchorCertificate: acted('validated as one PEM certificate, stored and returned'),
    KeyStorePassword: acted('the token user\'s PIN, stored wrapped, tried by ConnectCustomKeyStore'),
    CustomKeyStoreType: acted('AWS_CLOUDHSM or EXTERNAL_KEY_STORE, each with the members of its type', {
      refuses: { error: 'ValidationException', input: () => ({ CustomKeyStoreName: 'x', CustomKeyStoreType: 'EXTERNAL_KEY_STORE' }) },
    }),
    ...xksMembers({ CustomKeyStoreName: 'x' }),
  },
  CreateGrant: {
    KeyId: KEY,
    GranteePrincipal: acted('the grant\'s grantee'),
    RetiringPrincipal: acted('who may retire the grant'),
    Operations: acted('what the grant allows'),
    Constraints: acted('encryption context constraints', {
      refuses: {
        error: 'ValidationException',
        input: (f) => ({ KeyId: f.symmetric, GranteePrincipal: f.root, Operations: ['Decrypt'], Constraints: { SourceArn: 'arn:aws:s3:::bucket' } }),
      },
    }),
    GrantTokens: GRANT_TOKENS,
    Name: acted('makes CreateGrant idempotent'),
    DryRun: DRY_RUN,
    // There are no AWS service principals here: a grant to one (or retirable by one) could never be used.
    GranteeServicePrincipal: refused('ValidationException', (f) => ({
      KeyId: f.symmetric, GranteePrincipal: f.root, Operations: ['Decrypt'], GranteeServicePrincipal: 'dynamodb.amazonaws.com',
    })),
    RetiringServicePrincipal: refused('ValidationException', (f) => ({
      KeyId: f.symmetric, GranteePrincipal: f.root, Operations: ['Decrypt'], RetiringServicePrincipal: 'dynamodb.amazonaws.com',
    })),
  },
  CreateKey: {
    Policy: acted('the key policy, checked for lockout'),
    Description: acted('stored'),
    KeyUsage: acted('the key\'s usage'),
    CustomerMasterKeySpec: acted('the key\'s spec (deprecated twin of KeySpec)'),
    KeySpec: acted('the key\'s spec'),
    // A custom key store's origin needs the store (and an external key store's its external key).
    Origin: acted('AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE', {
      refuses: { error: 'ValidationException', input: () => ({ Origin: 'EXTERNAL_KEY_STORE' }) },
    }),
    CustomKeyStoreId: acted('the custom key store the key is made in', {
      refuses: { error: 'CustomKeyStoreNotFoundException', input: () => ({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: UNKNOWN_STORE }) },
    }),
    BypassPolicyLockoutSafetyCheck: acted('skips the lockout check'),
    Tags: acted('stored'),
    MultiRegion: acted('a multi-Region primary key (mrk- id)'),
    // Valid only with Origin EXTERNAL_KEY_STORE: without it, a constraint between members.
    XksKeyId: acted('the external key of a key in an external key store', {
      refuses: { error: 'ValidationException', input: () => ({ XksKeyId: 'external-key-1' }) },
    }),
  },
  Decrypt: {
    CiphertextBlob: acted('decrypted'),
    EncryptionContext: ENCRYPTION_CONTEXT,
    GrantTokens: GRANT_TOKENS,
    KeyId: KEY,
    EncryptionAlgorithm: acted('checked against the key and ciphertext'),
    // AWS would answer CiphertextForRecipient for a Nitro enclave; ignoring it would return the plaintext.
    Recipient: RECIPIENT_REFUSED(decryptInput),
    DryRun: DRY_RUN,
    DryRunModifiers: DRY_RUN_MODIFIERS(decryptInput),
  },
  DeleteAlias: { AliasName: KEY },
  DeleteCustomKeyStore: { CustomKeyStoreId: STORE },
  DeleteImportedKeyMaterial: { KeyId: KEY, KeyMaterialId: acted('the imported version deleted') },
  DeriveSharedSecret: {
    KeyId: KEY,
    KeyAgreementAlgorithm: acted('ECDH'),
    PublicKey: acted('the peer\'s public key'),
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
    Recipient: RECIPIENT_REFUSED((f) => ({ KeyId: f.agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64('peer') })),
  },
  DescribeCustomKeyStores: {
    CustomKeyStoreId: STORE,
    CustomKeyStoreName: acted('the one store of that name', {
      refuses: { error: 'CustomKeyStoreNotFoundException', input: () => ({ CustomKeyStoreName: 'no-such-store' }) },
    }),
    Limit: PAGING,
    Marker: PAGING,
  },
  DescribeKey: { KeyId: KEY, GrantTokens: GRANT_TOKENS },
  DisableKey: { KeyId: KEY },
  DisableKeyRotation: { KeyId: KEY },
  DisconnectCustomKeyStore: { CustomKeyStoreId: STORE },
  EnableKey: { KeyId: KEY },
  EnableKeyRotation: { KeyId: KEY, RotationPeriodInDays: acted('the rotation period') },
  Encrypt: {
    KeyId: KEY,
    Plaintext: acted('encrypted'),
    EncryptionContext: ENCRYPTION_CONTEXT,
    GrantTokens: GRANT_TOKENS,
    EncryptionAlgorithm: acted('the algorithm'),
    DryRun: DRY_RUN,
  },
  GenerateDataKey: {
    KeyId: KEY,
    EncryptionContext: ENCRYPTION_CONTEXT,
    NumberOfBytes: acted('the data key\'s length'),
    KeySpec: acted('the data key\'s length'),
    GrantTokens: GRANT_TOKENS,
    Recipient: RECIPIENT_REFUSED((f) => ({ KeyId: f.symmetric, NumberOfBytes: 32 })),
    DryRun: DRY_RUN,
  },
  GenerateDataKeyPair: {
    EncryptionContext: ENCRYPTION_CONTEXT,
    KeyId: KEY,
    KeyPairSpec: acted('the pair\'s spec'),
    GrantTokens: GRANT_TOKENS,
    Recipient: RECIPIENT_REFUSED((f) => ({ KeyId: f.symmetric, KeyPairSpec: 'ECC_NIST_P256' })),
    DryRun: DRY_RUN,
  },
  GenerateDataKeyPairWithoutPlaintext: {
    EncryptionContext: ENCRYPTION_CONTEXT,
    KeyId: KEY,
    KeyPairSpec: acted('the pair\'s spec'),
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
  },
  GenerateDataKeyWithoutPlaintext: {
    KeyId: KEY,
    EncryptionContext: ENCRYPTION_CONTEXT,
    KeySpec: acted('the data key\'s length'),
    NumberOfBytes: acted('the data key\'s length'),
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
  },
  GenerateMac: { Message: acted('MACed'), KeyId: KEY, MacAlgorithm: acted('checked against the key'), GrantTokens: GRANT_TOKENS, DryRun: DRY_RUN },
  GenerateRandom: {
    NumberOfBytes: acted('how many bytes'),
    // A CloudHSM key store's RNG would work in AWS; custom key stores do not exist here yet.
    CustomKeyStoreId: acted('random bytes from the store\'s HSM', {
      refuses: { error: 'CustomKeyStoreNotFoundException', input: () => ({ NumberOfBytes: 16, CustomKeyStoreId: UNKNOWN_STORE }) },
    }),
    Recipient: RECIPIENT_REFUSED(() => ({ NumberOfBytes: 16 })),
  },
  GetKeyLastUsage: { KeyId: KEY },
  GetKeyPolicy: { KeyId: KEY, PolicyName: acted('only "default" exists') },
  GetKeyRotationStatus: { KeyId: KEY },
  GetParametersForImport: {
    KeyId: KEY,
    WrappingAlgorithm: acted('sealed in the import token; RSAES_PKCS1_V1_5 and SM2PKE refused'),
    WrappingKeySpec: acted('the size of the wrapping key pair; SM2 refused'),
  },
  GetPublicKey: { KeyId: KEY, GrantTokens: GRANT_TOKENS },
  ImportKeyMaterial: {
    KeyId: KEY,
    ImportToken: acted('opened with the root key: the wrapping key, algorithm and expiry'),
    EncryptedKeyMaterial: acted('unwrapped and imported'),
    ValidTo: acted('when the material expires'),
    ExpirationModel: acted('whether the material expires'),
    ImportType: acted('new material (pending rotation) or a version imported before'),
    KeyMaterialDescription: acted('stored with the version'),
    KeyMaterialId: acted('must match the id derived from the material'),
  },
  ListAliases: { KeyId: acted('only the aliases of that key (of the caller\'s account)'), Limit: PAGING, Marker: PAGING },
  ListGrants: {
    Limit: PAGING,
    Marker: PAGING,
    KeyId: KEY,
    GrantId: acted('filter'),
    GranteePrincipal: acted('filter'),
    GranteeServicePrincipal: acted('filter: no grant here has a service principal, so it matches none', {
      async check({ fixture, call }) {
        await call('CreateGrant', { KeyId: fixture.symmetric, GranteePrincipal: fixture.root, Operations: ['Decrypt'] });
        assert.notDeepEqual((await call('ListGrants', { KeyId: fixture.symmetric })).body['Grants'], []);
        const filtered = await call('ListGrants', { KeyId: fixture.symmetric, GranteeServicePrincipal: 'dynamodb.amazonaws.com' });
        assert.deepEqual(filtered.body['Grants'], []);
      },
    }),
  },
  ListKeyPolicies: { KeyId: KEY, Limit: PAGING, Marker: PAGING },
  ListKeyRotations: { KeyId: KEY, IncludeKeyMaterial: acted('whether the first material is listed'), Limit: PAGING, Marker: PAGING },
  ListKeys: { Limit: PAGING, Marker: PAGING },
  ListResourceTags: { KeyId: KEY, Limit: PAGING, Marker: PAGING },
  ListRetirableGrants: {
    Limit: PAGING,
    Marker: PAGING,
    RetiringPrincipal: acted('whose retirable grants'),
    RetiringServicePrincipal: acted('no grant here is retirable by a service principal, so it lists none', {
      async check({ fixture, call }) {
        await call('CreateGrant', { KeyId: fixture.symmetric, GranteePrincipal: fixture.root, RetiringPrincipal: fixture.root, Operations: ['Decrypt'] });
        const listed = await call('ListRetirableGrants', { RetiringServicePrincipal: 'dynamodb.amazonaws.com' });
        assert.deepEqual([listed.error, listed.body['Grants']], [undefined, []]);
      },
    }),
  },
  PutKeyPolicy: {
    KeyId: KEY,
    PolicyName: acted('only "default" exists'),
    Policy: acted('the new policy'),
    BypassPolicyLockoutSafetyCheck: acted('skips the lockout check'),
  },
  ReEncrypt: {
    CiphertextBlob: acted('decrypted and encrypted again'),
    SourceEncryptionContext: ENCRYPTION_CONTEXT,
    SourceKeyId: KEY,
    DestinationKeyId: KEY,
    DestinationEncryptionContext: ENCRYPTION_CONTEXT,
    SourceEncryptionAlgorithm: acted('the source algorithm'),
    DestinationEncryptionAlgorithm: acted('the destination algorithm'),
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
    DryRunModifiers: DRY_RUN_MODIFIERS(reEncryptInput),
  },
  ReplicateKey: {
    KeyId: KEY,
    ReplicaRegion: acted('where the replica is created; a condition key'),
    Policy: acted('the replica\'s key policy'),
    BypassPolicyLockoutSafetyCheck: acted('skips the lockout check'),
    Description: acted('the replica\'s description'),
    Tags: acted('the replica\'s tags'),
  },
  RetireGrant: { GrantToken: KEY, KeyId: KEY, GrantId: acted('the grant retired'), DryRun: DRY_RUN },
  RevokeGrant: { KeyId: KEY, GrantId: acted('the grant revoked'), DryRun: DRY_RUN },
  RotateKeyOnDemand: { KeyId: KEY },
  ScheduleKeyDeletion: { KeyId: KEY, PendingWindowInDays: acted('the waiting period') },
  Sign: {
    KeyId: KEY,
    Message: acted('signed'),
    MessageType: acted('RAW, DIGEST or EXTERNAL_MU'),
    GrantTokens: GRANT_TOKENS,
    SigningAlgorithm: acted('the algorithm'),
    DryRun: DRY_RUN,
  },
  TagResource: { KeyId: KEY, Tags: acted('added') },
  UntagResource: { KeyId: KEY, TagKeys: acted('removed') },
  UpdateAlias: { AliasName: KEY, TargetKeyId: KEY },
  UpdateCustomKeyStore: {
    CustomKeyStoreId: STORE,
    NewCustomKeyStoreName: acted('the store renamed'),
    KeyStorePassword: acted('the PIN replaced, while disconnected'),
    CloudHsmClusterId: acted('a related cluster (the same token), while disconnected'),
    ...Object.fromEntries(Object.keys(XKS_PROXY_VALUES).map((member) => [member, acted('an external key store\'s proxy settings')])),
  },
  UpdateKeyDescription: { KeyId: KEY, Description: acted('stored') },
  UpdatePrimaryRegion: { KeyId: KEY, PrimaryRegion: acted('the replica that becomes primary; a condition key') },
  Verify: {
    KeyId: KEY,
    Message: acted('verified'),
    MessageType: acted('RAW, DIGEST or EXTERNAL_MU'),
    Signature: acted('verified'),
    SigningAlgorithm: acted('the algorithm'),
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
  },
  VerifyMac: { Message: acted('MACed'), KeyId: KEY, MacAlgorithm: acted('checked'), Mac: acted('compared'), GrantTokens: GRANT_TOKENS, DryRun: DRY_RUN },
};

function modelMembers(operation: KmsOperationName): string[] {
  const shape = KMS_INPUT_SHAPES[KMS_OPERATION_INPUTS[operation]];
  return shape?.type === 'structure' ? Object.keys(shape.members) : [];
}

const OPERATIONS = Object.keys(KMS_OPERATION_INPUTS) as KmsOperationName[];

describe('every request member of every operation is acted on or refused, never ignored', () => {
  test('the table decides every member of every operation of the model, and nothing else', () => {
    assert.deepEqual(Object.keys(DECISIONS).sort(), [...OPERATIONS].sort());
    for (const operation of OPERATIONS) {
      assert.deepEqual(Object.keys(DECISIONS[operation]).sort(), modelMembers(operation).sort(), `${operation}'s members`);
    }
  });

  test('an operation is "not implemented" in the table exactly when the server does not offer it', () => {
    for (const operation of OPERATIONS) {
      const decisions = Object.values(DECISIONS[operation]);
      const marked = decisions.length > 0 && decisions.every((decision) => decision.kind === 'operation not implemented');
      assert.equal(marked, !KMS_OPERATIONS.has(operation), operation);
      assert.ok(decisions.every((decision) => (decision.kind === 'operation not implemented') === marked), operation);
    }
  });

  let server: TestServer;
  let tools: Tools;
  before(async () => {
    server = await startTestServer();
    const call = (operation: string, input: Record<string, unknown>) => callKms(server, server.credentials, operation, input);
    const keyId = async (input: Record<string, unknown>) =>
      String(((await call('CreateKey', input)).body['KeyMetadata'] as Record<string, unknown>)['KeyId']);
    const symmetric = await keyId({});
    const fixture: Fixture = {
      symmetric,
      agreement: await keyId({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }),
      ciphertext: String((await call('Encrypt', { KeyId: symmetric, Plaintext: b64('members') })).body['CiphertextBlob']),
      root: `arn:aws:iam::${server.accountId}:root`,
    };
    tools = { fixture, call };
  });
  after(() => server.stop());

  for (const operation of OPERATIONS) {
    for (const [member, decision] of Object.entries(DECISIONS[operation])) {
      const refusal = decision.kind === 'refused' ? decision.refusal : decision.kind === 'acted on' ? decision.refuses : undefined;
      if (refusal) {
        test(`${operation}.${member} is refused with ${refusal.error}`, async () => {
          const keysBefore = (await tools.call('ListKeys', {})).body['Keys'];
          const answer = await tools.call(operation, refusal.input(tools.fixture));
          assert.equal(answer.error, refusal.error, answer.message);
          assert.deepEqual((await tools.call('ListKeys', {})).body['Keys'], keysBefore, 'a refused request changes nothing');
        });
      }
      if (decision.kind === 'acted on' && decision.check) {
        const check = decision.check;
        test(`${operation}.${member} is acted on: ${decision.how}`, async () => {
          await check({ fixture: tools.fixture, call: (name, input) => tools.call(name || operation, input) });
        });
      }
    }
  }

  test('an operation the server does not offer is refused whole with UnsupportedOperationException', async () => {
    for (const operation of OPERATIONS.filter((name) => !KMS_OPERATIONS.has(name))) {
      assert.equal((await tools.call(operation, {})).error, 'UnsupportedOperationException', operation);
    }
  });

  test('CreateKey in a custom key store that does not exist names it in AWS\'s words, whatever else the request says', async () => {
    const answer = await tools.call('CreateKey', {
      Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: UNKNOWN_STORE, Description: 'never made', Tags: [{ TagKey: 'a', TagValue: 'b' }],
    });
    assert.deepEqual([answer.error, answer.message], ['CustomKeyStoreNotFoundException', "Custom key store 'cks-1234567890abcdef0' does not exist."]);
  });
});
