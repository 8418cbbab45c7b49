import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyPairCommand,
  GenerateMacCommand, ReEncryptCommand, SignCommand,
} from '@aws-sdk/client-kms';
import pg from 'pg';
import { buildMaterialAad, RootKey } from '../../src/crypto/root-key.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { initDatabase, kmsClientOf, newClusterDir, runProgram, startNode } from '../support/cluster.js';
import { createTestDatabase, postgresTool, startTestPostgres } from '../support/postgres.js';

/**
 * The database of a multi-node deployment holds only wrapped material: a `pg_dump` of it, taken after a
 * sentinel plaintext went through every kind of operation (and failing requests carrying it), contains no
 * plaintext, data key, private key, key material, secret access key or root key, in any common encoding.
 * The PostgreSQL counterpart of secrets-stay-secret.test.ts's data-directory check.
 */
const postgres = await startTestPostgres();
after(() => postgres.found?.stop());
const pgDump = postgresTool('pg_dump');

const SENTINEL = Buffer.from('STRONGROOM-SENTINEL-PLAINTEXT-pg-4e1b7d');

/** Every form a secret could leak in: raw, base64, base64url, hex (as `pg_dump` writes BYTEA). */
function forms(secret: Buffer): string[] {
  return [secret.toString('latin1'), secret.toString('base64'), secret.toString('base64url'), secret.toString('hex')];
}

async function failureOf(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (error) {
    return (error as Error).name;
  }
  return '';
}

/** Every stored key material version, unwrapped with the root key (the test's view; the server never does this). */
async function unwrappedMaterials(databaseUrl: string, rootKeyFile: string): Promise<Buffer[]> {
  const rootKey = RootKey.fromBytes(SecretBytes.copyOf(readFileSync(rootKeyFile)));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ key_arn: string; id: string; wrapped: Buffer }>('SELECT key_arn, id, wrapped FROM key_materials');
    return rows.map((row) => Buffer.from(rootKey.unwrap(row.wrapped, buildMaterialAad(row.key_arn, row.id)).expose()));
  } finally {
    await client.end();
    rootKey.destroy();
  }
}

describe('a pg_dump of a Strongroom database', { skip: postgres.skip || (pgDump === undefined && 'pg_dump is not installed') }, () => {
  test('holds no plaintext, data key, key material, secret access key or root key after the sentinel flow', async () => {
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(postgres.found!, 'dump');
    const rootKeyFile = join(dir, 'root.key');
    const { credentials } = await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'));
    const node = await startNode('A', { databaseUrl, rootKeyFile, args: ['--quotas', 'off'] });
    const kms = kmsClientOf(node, credentials);
    const iam = new IAMClient({ endpoint: node.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const secrets: Array<[string, Buffer]> = [
      ['sentinel plaintext', SENTINEL],
      ['administrator secret access key', Buffer.from(credentials.secretAccessKey)],
      ['root key', readFileSync(rootKeyFile)],
    ];
    let keyArn = '';
    try {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'sentinel' }));
      keyArn = KeyMetadata!.Arn!;
      const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const context = { purpose: 'sentinel' };
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: SENTINEL, EncryptionContext: context }));
      await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
      await kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: other }));
      const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' }));
      secrets.push(['data key', Buffer.from(dataKey.Plaintext!)]);
      const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: keyArn, KeyPairSpec: 'ECC_NIST_P256' }));
      secrets.push(['data key pair private key', Buffer.from(pair.PrivateKeyPlaintext!)]);
      const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;
      await kms.send(new GenerateMacCommand({ KeyId: hmac, Message: SENTINEL, MacAlgorithm: 'HMAC_SHA_256' }));
      const signing = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
      await kms.send(new SignCommand({ KeyId: signing, Message: SENTINEL, SigningAlgorithm: 'ECDSA_SHA_256' }));
      await iam.send(new CreateUserCommand({ UserName: 'sentinel-user' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'sentinel-user' }));
      secrets.push(['IAM user secret access key', Buffer.from(AccessKey!.SecretAccessKey!)]);

      // Requests that fail, each carrying the sentinel somewhere (their audit records are in the database too).
      const failures = await Promise.all([
        failureOf(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: 'other' } }))),
        failureOf(kms.send(new DecryptCommand({ CiphertextBlob: SENTINEL }))),
        failureOf(kms.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: SENTINEL }))),
        failureOf(kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.concat(Array(200).fill(SENTINEL)) }))),
      ]);
      assert.ok(failures.every((name) => name !== ''), `every failing request failed: ${failures.join(', ')}`);
    } finally {
      kms.destroy();
      iam.destroy();
      assert.equal(await node.stop(), 0);
    }
    const materials = await unwrappedMaterials(databaseUrl, rootKeyFile);
    assert.ok(materials.length >= 4, 'the keys\' material versions were found');
    for (const material of materials) secrets.push(['key material', material]);

    const dump = await runProgram(pgDump!, ['--dbname', databaseUrl, '--no-owner']);
    assert.equal(dump.status, 0, dump.stderr);
    assert.ok(dump.stdout.includes('key_materials') && dump.stdout.includes(keyArn), 'the dump holds the key store');
    assert.match(dump.stdout, /"eventName":\s*"Encrypt"/, 'and the audit trail');
    const leaks = new Set<string>();
    for (const [what, secret] of secrets) {
      for (const form of forms(secret)) if (dump.stdout.includes(form)) leaks.add(what);
    }
    assert.deepEqual([...leaks], []);
  });
});
