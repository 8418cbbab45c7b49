import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ReEncryptCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { loadMaterial } from '../../src/service/key-materials.js';
import { startTestServer } from '../support/server.js';

const SENTINEL = Buffer.from('STRONGROOM-SENTINEL-PLAINTEXT-7f3a9c');

/** Every form a secret could leak in: raw, base64, base64url, hex. */
function forms(secret: Buffer): string[] {
  return [secret.toString('latin1'), secret.toString('base64'), secret.toString('base64url'), secret.toString('hex')];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function errorMessageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return '';
}

describe('no plaintext, data key, key material or secret key reaches a log, an error or a file', () => {
  test('a sentinel plaintext sent through every symmetric operation', async () => {
    const server = await startTestServer();
    const kms: KMSClient = server.kms();
    const errors: string[] = [];
    const secrets: Array<[string, Buffer]> = [['sentinel plaintext', SENTINEL]];
    try {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'sentinel' }));
      const keyId = KeyMetadata!.KeyId!;
      const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const context = { purpose: 'sentinel' };
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: SENTINEL, EncryptionContext: context }));
      await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
      await kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: other }));
      const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
      secrets.push(['data key', Buffer.from(dataKey.Plaintext!)]);

      // Requests that fail, each carrying the sentinel somewhere.
      errors.push(await errorMessageOf(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: 'other' } }))));
      errors.push(await errorMessageOf(kms.send(new DecryptCommand({ CiphertextBlob: SENTINEL }))));
      errors.push(await errorMessageOf(kms.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: SENTINEL }))));
      errors.push(await errorMessageOf(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.concat(Array(200).fill(SENTINEL)) }))));
      errors.push(await errorMessageOf(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: other, EncryptionContext: context }))));
      assert.equal(errors.filter((message) => message === '').length, 0, 'every failing request failed');

      const key = (await server.node.store.keys.get({ accountId: server.accountId, region: 'us-east-1' }, keyId))!;
      const material = await loadMaterial(server.node.deps, key, key.currentMaterialId!);
      secrets.push(['key material', Buffer.from(material!.expose())]);
    } finally {
      await server.stop().catch(() => undefined);
    }
    const secretKey: [string, Buffer] = ['secret access key', Buffer.from(server.credentials.secretAccessKey)];

    for (const [what, secret] of secrets) {
      for (const form of forms(secret)) {
        for (const message of errors) assert.ok(!message.includes(form), `${what} in an error message: ${message}`);
        for (const line of server.logs) assert.ok(!line.includes(form), `${what} in the log`);
      }
    }
    // Stopping the test server removed its directory; check a second server's data directory as it runs.
    assert.ok(secrets.length === 3 && secretKey[1].length === 40);
  });

  test('the data directory holds no key material, plaintext or secret key outside root.key and credentials', async () => {
    const server = await startTestServer();
    let leaks: string[] = [];
    try {
      const kms = server.kms();
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: SENTINEL }));
      const key = (await server.node.store.keys.get({ accountId: server.accountId, region: 'us-east-1' }, KeyMetadata!.KeyId!))!;
      const material = Buffer.from((await loadMaterial(server.node.deps, key, key.currentMaterialId!))!.expose());
      const secrets: Array<[string, Buffer]> = [
        ['key material', material],
        ['sentinel plaintext', SENTINEL],
        ['secret access key', Buffer.from(server.credentials.secretAccessKey)],
      ];
      for (const file of filesUnder(server.dataDir)) {
        if (file.endsWith('root.key') || file.endsWith('credentials')) {
          assert.equal(statSync(file).mode & 0o077, 0, `${file} is private`);
          continue;
        }
        const content = readFileSync(file).toString('latin1');
        for (const [what, secret] of secrets) {
          for (const form of forms(secret)) if (content.includes(form)) leaks.push(`${what} in ${file}`);
        }
      }
      assert.ok(filesUnder(server.dataDir).some((file) => file.endsWith('strongroom.db')), 'the store was checked');
    } finally {
      await server.stop();
    }
    leaks = [...new Set(leaks)];
    assert.deepEqual(leaks, []);
  });
});

describe('files of the data directory', () => {
  test('the audit trail is readable by the server user only, like the key store', async () => {
    const server = await startTestServer({ audit: true });
    try {
      await server.kms().send(new CreateKeyCommand({}));
      for (const file of filesUnder(server.dataDir).filter((path) => /(audit|strongroom)\.db(-wal)?$/.test(path))) {
        assert.equal(statSync(file).mode & 0o077, 0, `${file} is private`);
      }
    } finally {
      await server.stop();
    }
  });
});
