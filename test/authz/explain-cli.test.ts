import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { runAuthzCommand } from '../../src/cli/authz.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createRoleSession } from './principals.js';

describe('strongroom authz explain', () => {
  let server: TestServer;
  let keyArn: string;
  let roleArn: string;
  before(async () => {
    server = await startTestServer();
    roleArn = (await createRoleSession(server, server.accountId, 'tenant-app')).roleArn;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'TenantA', Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'kms:Decrypt', Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } } },
      ],
    });
    keyArn = (await server.kms().send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
  });
  after(async () => server.stop());

  async function explain(...extra: string[]): Promise<{ code: number; output: string }> {
    let output = '';
    const code = await runAuthzCommand(
      ['explain', '--data-dir', server.dataDir, '--principal', roleArn, '--action', 'kms:Decrypt', '--key', keyArn, ...extra],
      (text) => (output += text),
    );
    return { code, output };
  }

  test('names the statement that allowed a request', async () => {
    const { code, output } = await explain('--encryption-context', 'tenant=a');
    assert.equal(code, 0);
    assert.match(output, /^Allow: arn:aws:sts::\d{12}:assumed-role\/tenant-app\/strongroom-authz-explain → kms:Decrypt/);
    assert.match(output, /key-policy statement #1 \(Sid "TenantA"\): Allow/);
  });

  test('explains a denial, with the message the caller would see', async () => {
    const { code, output } = await explain('--encryption-context', 'tenant=b');
    assert.equal(code, 3);
    assert.match(output, /^ImplicitDeny: /);
    assert.match(output, /The caller sees: AccessDeniedException: User: .* because no identity-based policy allows the kms:Decrypt action/);
    assert.match(output, /key-policy statement #0 \(Sid "Enable IAM User Permissions"\): Allow — names the account: delegates to identity policies/);
  });
});
