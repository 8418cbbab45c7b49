import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../support/server.js';
import { callAdmin, collectingOutcomes } from './admin-client.js';

describe('admin API: CreateAccount and ListAccounts', () => {
  let server: TestServer;
  const outcomes = collectingOutcomes();
  before(async () => {
    server = await startTestServer({ outcomes });
  });
  after(async () => server.stop());

  test('the administrator creates an account whose root credentials work with the KMS SDK', async () => {
    const created = await callAdmin(server, 'CreateAccount');
    assert.equal(created.status, 200);
    const { AccountId, AccessKeyId, SecretAccessKey } = created.body;
    assert.match(String(AccountId), /^\d{12}$/);
    assert.notEqual(AccountId, server.accountId);
    assert.match(String(AccessKeyId), /^AKIA[A-Z0-9]{16}$/);
    assert.equal(typeof SecretAccessKey, 'string');

    const kms = server.kms('eu-west-1', { accessKeyId: String(AccessKeyId), secretAccessKey: String(SecretAccessKey) });
    const key = await kms.send(new CreateKeyCommand({}));
    assert.equal(key.KeyMetadata?.AWSAccountId, AccountId);
    assert.match(key.KeyMetadata?.Arn ?? '', new RegExp(`^arn:aws:kms:eu-west-1:${String(AccountId)}:key/`));
    await kms.send(new EncryptCommand({ KeyId: key.KeyMetadata?.KeyId, Plaintext: Buffer.from('hello') }));
    // A separate key space: the administrator's account does not see the new account's key.
    const adminKeys = await server.kms('eu-west-1').send(new ListKeysCommand({}));
    assert.equal(adminKeys.Keys?.some((listed) => listed.KeyArn === key.KeyMetadata?.Arn), false);
  });

  test('a chosen account id is used once; a second CreateAccount for it is AlreadyExistsException', async () => {
    const first = await callAdmin(server, 'CreateAccount', { AccountId: '123456789012' });
    assert.equal(first.status, 200);
    assert.equal(first.body['AccountId'], '123456789012');
    const again = await callAdmin(server, 'CreateAccount', { AccountId: '123456789012' });
    assert.equal(again.status, 400);
    assert.equal(again.errorType, 'AlreadyExistsException');
    assert.match(String(again.body['message']), /123456789012/);
  });

  test('ListAccounts lists every account with its creation date in epoch seconds', async () => {
    const listed = await callAdmin(server, 'ListAccounts');
    assert.equal(listed.status, 200);
    const accounts = listed.body['Accounts'] as Array<{ AccountId: string; CreationDate: number }>;
    const ids = accounts.map((account) => account.AccountId);
    assert.ok(ids.includes(server.accountId));
    assert.ok(ids.includes('123456789012'));
    const stored = await server.node.store.identities.getAccount(server.accountId);
    const administrator = accounts.find((account) => account.AccountId === server.accountId);
    assert.equal(administrator?.CreationDate, (stored?.createdAt ?? 0) / 1000);
  });

  test('each admin request records its outcome as service strongroom, without the new secret', async () => {
    const before = outcomes.recorded.length;
    const created = await callAdmin(server, 'CreateAccount');
    const secret = String(created.body['SecretAccessKey']);
    const recorded = outcomes.recorded.slice(before);
    assert.equal(recorded.length, 1);
    const [outcome] = recorded;
    assert.equal(outcome?.service, 'strongroom');
    assert.equal(outcome?.operation, 'CreateAccount');
    assert.equal(outcome?.readOnly, false);
    assert.equal(outcome?.caller?.arn, `arn:aws:iam::${server.accountId}:root`);
    assert.deepEqual(outcome?.output, { AccountId: created.body['AccountId'], AccessKeyId: created.body['AccessKeyId'] });
    assert.equal(JSON.stringify(outcomes.recorded).includes(secret), false);
    assert.equal(server.logs.join('\n').includes(secret), false);
  });
});
