import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { newDataDir, startServerProcess } from '../support/server-process.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { block, EXAMPLE, EXAMPLE_SEED, pemKey, seedFile } from './seed-fixtures.js';

const run = promisify(execFile);
const SEEDED_CREDENTIALS = { accessKeyId: EXAMPLE.accessKeyId, secretAccessKey: EXAMPLE.secretAccessKey };

/** `strongroom seed ...` from the sources; resolves with its exit code and output. */
async function strongroomSeed(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/main.ts'), 'seed', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function kmsAt(endpoint: string): KMSClient {
  return new KMSClient({ endpoint, region: 'us-east-1', credentials: SEEDED_CREDENTIALS, maxAttempts: 1 });
}

describe('serve --seed and strongroom seed', () => {
  test('an invalid seed file names the entry and why, and the server starts nothing', async () => {
    const wrongCurve = pemKey('ec', { namedCurve: 'prime256v1' });
    const file = await seedFile(`version: 1\nkeys:\n  - id: 3515a449-f040-4db6-b411-338f0c5c809f\n    spec: ECC_SECG_P256K1\n    material: ${block(wrongCurve)}\n`);
    const dataDir = join(await newDataDir(), 'not-yet');
    const server = await startServerProcess(['--workers', '1', '--seed', file], dataDir);
    assert.equal(server.endpoint, '');
    assert.equal(await server.stop(), 1);
    assert.match(server.stderr(), /seed\.yaml: keys\[0\]\.material: not a PEM private key of spec ECC_SECG_P256K1/);
    assert.doesNotMatch(server.stdout(), /listening/);
    assert.equal(existsSync(dataDir), false, 'the data directory was not even created');
  });

  test('--seed applies the file before the ready line; strongroom seed then finds nothing to do', async () => {
    const server = await startServerProcess(['--workers', '1', '--seed', EXAMPLE_SEED]);
    let blob: Uint8Array | undefined;
    try {
      assert.notEqual(server.endpoint, '', server.stderr());
      const output = server.stdout();
      assert.match(output, /Seeded from seed\.yaml: 1 account, 1 access key, 6 keys, 1 later material version, 3 aliases created\n/);
      assert.ok(output.indexOf('Seeded from') < output.indexOf('listening on'));
      const kms = kmsAt(server.endpoint);
      blob = (await kms.send(new EncryptCommand({ KeyId: 'alias/app-data', Plaintext: Buffer.from('seeded') }))).CiphertextBlob;
      kms.destroy();
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const again = await strongroomSeed(EXAMPLE_SEED, '--data-dir', server.dataDir);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'Seeded from seed.yaml: nothing to create; 6 keys already there\n');

    // Another data directory seeded by the CLI alone decrypts what the first server encrypted.
    const otherDir = await newDataDir();
    const seeded = await strongroomSeed(EXAMPLE_SEED, '--data-dir', otherDir);
    assert.equal(seeded.code, 0, seeded.stderr);
    const other = await startServerProcess(['--workers', '1'], otherDir);
    try {
      const kms = kmsAt(other.endpoint);
      const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
      assert.equal(Buffer.from(Plaintext ?? []).toString(), 'seeded');
      kms.destroy();
    } finally {
      await other.stop();
    }
  });

  test('strongroom seed works on the data directory of a running server, which serves the new keys at once', async () => {
    const server = await startServerProcess(['--workers', '1']);
    try {
      const seeded = await strongroomSeed(EXAMPLE_SEED, '--data-dir', server.dataDir);
      assert.equal(seeded.code, 0, seeded.stderr);
      const kms = kmsAt(server.endpoint);
      const { KeyId } = await kms.send(new EncryptCommand({ KeyId: 'alias/app-data', Plaintext: Buffer.from('x') }));
      assert.equal(KeyId, `arn:aws:kms:us-east-1:${EXAMPLE.accountId}:key/${EXAMPLE.symmetricKeyId}`);
      kms.destroy();
    } finally {
      await server.stop();
    }
  });

  test('strongroom seed --check reads the file only; a wrong file exits 1 naming the entry', async () => {
    const valid = await strongroomSeed(EXAMPLE_SEED, '--check', '--data-dir', '/nonexistent/never/opened');
    assert.equal(valid.code, 0, valid.stderr);
    assert.equal(valid.stdout, 'seed.yaml is a valid seed file: 1 account(s), 6 key(s)\n');
    const file = await seedFile('version: 1\nkeys:\n  - id: 1f3e6a6b-d4bb-4542-a95d-49007f125630\n    spec: HMAC_256\n    material: AAAA\n');
    const invalid = await strongroomSeed(file, '--check');
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /seed\.yaml: keys\[0\]\.material: spec HMAC_256 takes 32 to 128 bytes of HMAC key material, not 3/);
  });
});
