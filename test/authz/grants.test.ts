import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateGrantCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, ListGrantsCommand, ListRetirableGrantsCommand,
  RetireGrantCommand, RevokeGrantCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../support/server.js';
import { allowPolicy, createAccount, createRoleSession, createUser } from './principals.js';

const OTHER_ACCOUNT = '444455556666';
const text = (value: string) => new TextEncoder().encode(value);

describe('grants through the AWS SDK', () => {
  let server: TestServer;
  let admin: KMSClient;
  before(async () => {
    server = await startTestServer();
    admin = server.kms();
    await createAccount(server, OTHER_ACCOUNT);
  });
  after(async () => server.stop());

  async function newKeyArn(): Promise<string> {
    return (await admin.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  }

  test('a grant to another account\'s role allows its operations until the role retires it', async () => {
    const keyArn = await newKeyArn();
    const partner = await createRoleSession(server, OTHER_ACCOUNT, 'partner-app');
    const client = server.kms('us-east-1', { ...partner.credentials });
    const ciphertext = (await admin.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('shared') }))).CiphertextBlob;
    const denied = {
      name: 'AccessDeniedException',
      message: `User: ${partner.sessionArn} is not authorized to perform: kms:Decrypt on resource: ${keyArn} because no resource-based policy allows the kms:Decrypt action`,
    };
    await assert.rejects(client.send(new DecryptCommand({ CiphertextBlob: ciphertext })), denied);

    const grant = await admin.send(new CreateGrantCommand({
      KeyId: keyArn, GranteePrincipal: partner.roleArn, RetiringPrincipal: partner.roleArn, Operations: ['Decrypt', 'Encrypt'],
    }));
    assert.match(grant.GrantId!, /^[0-9a-f]{64}$/);
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: ciphertext, GrantTokens: [grant.GrantToken!] }));
    assert.equal(new TextDecoder().decode(decrypted.Plaintext), 'shared');
    await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('more') }));

    const listed = await admin.send(new ListGrantsCommand({ KeyId: keyArn }));
    assert.deepEqual(listed.Grants?.map((entry) => [entry.GrantId, entry.GranteePrincipal, entry.IssuingAccount, entry.Operations]),
      [[grant.GrantId, partner.roleArn, `arn:aws:iam::${server.accountId}:root`, ['Decrypt', 'Encrypt']]]);
    const partnerRoot = await createUser(server, OTHER_ACCOUNT, 'auditor', { list: allowPolicy('kms:ListRetirableGrants') });
    const retirable = await server.kms('us-east-1', { ...partnerRoot.credentials })
      .send(new ListRetirableGrantsCommand({ RetiringPrincipal: partner.roleArn }));
    assert.deepEqual(retirable.Grants?.map((entry) => entry.GrantId), [grant.GrantId]);

    await client.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
    await assert.rejects(client.send(new DecryptCommand({ CiphertextBlob: ciphertext })), denied);
    assert.deepEqual((await admin.send(new ListGrantsCommand({ KeyId: keyArn }))).Grants, []);
  });

  test('only the retiring principal, a grantee allowed RetireGrant, or the issuing account may retire', async () => {
    const keyArn = await newKeyArn();
    const grantee = await createUser(server, server.accountId, 'grantee-without-retire');
    const { GrantId } = await admin.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: grantee.arn, Operations: ['Encrypt'] }));
    await assert.rejects(server.kms('us-east-1', { ...grantee.credentials }).send(new RetireGrantCommand({ KeyId: keyArn, GrantId })),
      { name: 'AccessDeniedException' });
    await admin.send(new RetireGrantCommand({ KeyId: keyArn, GrantId }));
    await assert.rejects(admin.send(new RetireGrantCommand({ KeyId: keyArn, GrantId })), { name: 'NotFoundException' });
  });

  test('encryption context constraints limit what a grant allows', async () => {
    const keyArn = await newKeyArn();
    const user = await createUser(server, server.accountId, 'constrained');
    await admin.send(new CreateGrantCommand({
      KeyId: keyArn, GranteePrincipal: user.arn, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { Tenant: 'a' } },
    }));
    const client = server.kms('us-east-1', { ...user.credentials });
    await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x'), EncryptionContext: { tenant: 'a', purpose: 'p' } }));
    await assert.rejects(client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x'), EncryptionContext: { tenant: 'A' } })),
      { name: 'AccessDeniedException' });
    await assert.rejects(client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x') })), { name: 'AccessDeniedException' });
  });

  test('a grantee may pass on only what its grant holds', async () => {
    const keyArn = await newKeyArn();
    const delegate = await createUser(server, server.accountId, 'delegate');
    const other = await createUser(server, server.accountId, 'delegate-target');
    await admin.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: delegate.arn, Operations: ['Encrypt', 'CreateGrant'] }));
    const client = server.kms('us-east-1', { ...delegate.credentials });
    await client.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: other.arn, Operations: ['Encrypt'] }));
    await assert.rejects(client.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: other.arn, Operations: ['Decrypt'] })),
      { name: 'AccessDeniedException' });
  });

  test('a retried CreateGrant with the same Name returns the same grant and a new token that works', async () => {
    const keyArn = await newKeyArn();
    const user = await createUser(server, server.accountId, 'named-grantee');
    const request = { KeyId: keyArn, GranteePrincipal: user.arn, Operations: ['Encrypt' as const], Name: 'app-grant' };
    const first = await admin.send(new CreateGrantCommand(request));
    const second = await admin.send(new CreateGrantCommand(request));
    assert.equal(second.GrantId, first.GrantId);
    assert.notEqual(second.GrantToken, first.GrantToken);
    assert.equal((await admin.send(new ListGrantsCommand({ KeyId: keyArn }))).Grants?.length, 1);
    const third = await admin.send(new CreateGrantCommand({ ...request, Operations: ['Encrypt', 'Decrypt'] }));
    assert.notEqual(third.GrantId, first.GrantId);
    await admin.send(new RetireGrantCommand({ GrantToken: second.GrantToken }));
    const remaining = await admin.send(new ListGrantsCommand({ KeyId: keyArn }));
    assert.deepEqual(remaining.Grants?.map((grant) => grant.GrantId), [third.GrantId]);
  });

  test('RevokeGrant ends a grant at once; DryRun creates nothing; forged tokens are refused', async () => {
    const keyArn = await newKeyArn();
    const user = await createUser(server, server.accountId, 'revoked');
    await assert.rejects(admin.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: user.arn, Operations: ['Encrypt'], DryRun: true })),
      { name: 'DryRunOperationException' });
    assert.deepEqual((await admin.send(new ListGrantsCommand({ KeyId: keyArn }))).Grants, []);
    const { GrantId } = await admin.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: user.arn, Operations: ['Encrypt'] }));
    const client = server.kms('us-east-1', { ...user.credentials });
    await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x') }));
    await admin.send(new RevokeGrantCommand({ KeyId: keyArn, GrantId }));
    await assert.rejects(client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x') })), { name: 'AccessDeniedException' });
    await assert.rejects(admin.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x'), GrantTokens: ['not-a-token'] })),
      { name: 'InvalidGrantTokenException' });
  });

  test('Decrypt does not tell someone who may not use a key whether it exists', async () => {
    const keyArn = await newKeyArn();
    const ciphertext = (await admin.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('secret') }))).CiphertextBlob!;
    const outsider = await createRoleSession(server, OTHER_ACCOUNT, 'outsider', { all: allowPolicy('kms:*') });
    const client = server.kms('us-east-1', { ...outsider.credentials });
    const existing = await client.send(new DecryptCommand({ CiphertextBlob: ciphertext })).catch((error: Error) => error);
    const missingArn = keyArn.replace(/key\/.*/, 'key/00000000-0000-4000-8000-000000000000');
    const missing = await client.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: missingArn })).catch((error: Error) => error);
    assert.equal((existing as Error).name, 'AccessDeniedException');
    assert.equal((missing as Error).name, 'AccessDeniedException');
    assert.equal((missing as Error).message, (existing as Error).message.replace(keyArn, missingArn));
  });
});
