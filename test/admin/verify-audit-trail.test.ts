import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { callAdmin } from './admin-client.js';

describe('admin API: VerifyAuditTrail', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ audit: true });
  });
  after(async () => server.stop());

  test('reports an intact trail with every writer and its records, including the requests just answered', async () => {
    const kms = server.kms();
    const key = await kms.send(new CreateKeyCommand({}));
    await kms.send(new EncryptCommand({ KeyId: key.KeyMetadata?.KeyId, Plaintext: Buffer.from('verify me') }));
    const answer = await callAdmin(server, 'VerifyAuditTrail');
    assert.equal(answer.status, 200);
    assert.equal(answer.body['Ok'], true);
    // Records not yet sealed by a signed digest (that happens every 60 s) are named, but do not fail the trail.
    const problems = answer.body['Problems'] as Array<{ Kind: string }>;
    assert.ok(problems.every((problem) => problem.Kind === 'unsealed-tail'));
    const writers = answer.body['Writers'] as Array<{ Writer: string; Records: number; SealedThrough: number }>;
    assert.ok(writers.length >= 1);
    assert.ok(writers.reduce((sum, writer) => sum + writer.Records, 0) >= 2);
  });

  test('names the altered record when a record in the database was changed', async () => {
    await server.node.audit?.seal();
    await callAdmin(server, 'VerifyAuditTrail'); // brings every journal into the database first
    const db = new Database(dataDirectoryLayout(server.dataDir).auditDatabase);
    try {
      db.prepare(`UPDATE audit_records SET event_json = replace(event_json, 'Encrypt', 'Decrypt') WHERE event_json LIKE '%"eventName":"Encrypt"%'`).run();
    } finally {
      db.close();
    }
    const answer = await callAdmin(server, 'VerifyAuditTrail');
    assert.equal(answer.status, 200);
    assert.equal(answer.body['Ok'], false);
    const problems = answer.body['Problems'] as Array<{ Writer: string; Seq: number; Kind: string; Detail: string }>;
    assert.ok(problems.length >= 1);
    assert.ok(problems.every((problem) => !problem.Detail.includes('verify me')));
  });

  test('only the administrator may verify: a development or IAM caller gets AccessDeniedException', async () => {
    const other = await callAdmin(server, 'CreateAccount');
    const denied = await callAdmin(server, 'VerifyAuditTrail', {}, {
      credentials: { accessKeyId: String(other.body['AccessKeyId']), secretAccessKey: String(other.body['SecretAccessKey']) },
    });
    assert.equal(denied.status, 400);
    assert.equal(denied.errorType, 'AccessDeniedException');
  });
});

describe('admin API: VerifyAuditTrail on a server without a trail', () => {
  test('is UnsupportedOperationException', async () => {
    const server = await startTestServer();
    try {
      const answer = await callAdmin(server, 'VerifyAuditTrail');
      assert.equal(answer.errorType, 'UnsupportedOperationException');
    } finally {
      await server.stop();
    }
  });
});
