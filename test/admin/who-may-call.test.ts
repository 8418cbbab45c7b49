import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { allowPolicy, createAccount, createRoleSession, createUser } from '../authz/principals.js';
import { callAdmin, collectingOutcomes } from './admin-client.js';

describe('admin API: only the administrator account root may call it', () => {
  let server: TestServer;
  const outcomes = collectingOutcomes();
  before(async () => {
    server = await startTestServer({ outcomes });
  });
  after(async () => server.stop());

  test("another account's root is denied, with AWS's message naming the strongroom action", async () => {
    const other = await createAccount(server, '210987654321');
    const answer = await callAdmin(server, 'ListAccounts', {}, { credentials: other });
    assert.equal(answer.status, 400);
    assert.equal(answer.errorType, 'AccessDeniedException');
    assert.equal(answer.body['message'], 'User: arn:aws:iam::210987654321:root is not authorized to perform: strongroom:ListAccounts');
    const created = await callAdmin(server, 'CreateAccount', {}, { credentials: other });
    assert.equal(created.errorType, 'AccessDeniedException');
  });

  test("an IAM user of the administrator's account is denied, even with an identity policy allowing everything", async () => {
    const user = await createUser(server, server.accountId, 'operator', { everything: allowPolicy('*') });
    const answer = await callAdmin(server, 'CreateAccount', {}, { credentials: user.credentials });
    assert.equal(answer.errorType, 'AccessDeniedException');
    assert.equal(answer.body['message'], `User: ${user.arn} is not authorized to perform: strongroom:CreateAccount`);
  });

  test("a role session of the administrator's account is denied", async () => {
    const role = await createRoleSession(server, server.accountId, 'admin-like', { everything: allowPolicy('*') });
    const answer = await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: role.roleArn, Action: 'kms:CreateKey' }, { credentials: role.credentials });
    assert.equal(answer.errorType, 'AccessDeniedException');
    assert.match(String(answer.body['message']), /assumed-role\/admin-like\/session-1 is not authorized to perform: strongroom:ExplainAuthorization$/);
  });

  test('a denied request is denied before its body is read, and its outcome records the denial', async () => {
    const other = await createAccount(server, '310987654321');
    const before = outcomes.recorded.length;
    const answer = await callAdmin(server, 'CreateAccount', undefined, { credentials: other, rawBody: 'not json' });
    assert.equal(answer.errorType, 'AccessDeniedException');
    const [outcome] = outcomes.recorded.slice(before);
    assert.equal(outcome?.service, 'strongroom');
    assert.equal(outcome?.operation, 'CreateAccount');
    assert.equal(outcome?.caller?.arn, 'arn:aws:iam::310987654321:root');
    assert.equal(outcome?.error?.type, 'AccessDeniedException');
  });

  test('a request signed for another service, or not signed, is refused', async () => {
    const forKms = await callAdmin(server, 'ListAccounts', {}, { service: 'kms' });
    assert.equal(forKms.errorType, 'InvalidSignatureException');
    const unsigned = await callAdmin(server, 'ListAccounts', {}, { unsigned: true });
    assert.equal(unsigned.errorType, 'MissingAuthenticationTokenException');
  });

  test('an operation the admin API does not have is UnknownOperationException', async () => {
    const answer = await callAdmin(server, 'DeleteEverything');
    assert.equal(answer.errorType, 'UnknownOperationException');
  });
});
