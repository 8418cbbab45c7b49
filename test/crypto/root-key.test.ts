import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RootKeyFileError, UnwrapFailedError } from '../../src/crypto/crypto-errors.js';
import { buildMaterialAad, RootKey } from '../../src/crypto/root-key.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';

const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/0b7a1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d';
const materialId = 'c'.repeat(64);
const aad = buildMaterialAad(keyArn, materialId);

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'strongroom-root-key-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

function refusal(path: string, problem: RegExp, content?: Buffer): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof RootKeyFileError, `expected RootKeyFileError, got ${String(error)}`);
    assert.ok(error.message.includes(path), 'the message names the path');
    assert.match(error.message, problem);
    if (content !== undefined && content.length > 0) {
      assert.ok(!error.message.includes(content.toString('hex')), 'never the content');
    }
    return true;
  };
}

describe('RootKey', () => {
  test('loadOrCreate creates a 32-byte file with mode 0600 and loads the same key again', async () => {
    const path = join(directory, 'created.key');
    const created = await RootKey.loadOrCreate(path);
    const stats = await stat(path);
    assert.equal(stats.size, 32);
    assert.equal(stats.mode & 0o777, 0o600);
    const loaded = await RootKey.loadOrCreate(path);
    assert.equal(loaded.id, created.id);
    const secret = SecretBytes.random(32);
    assert.ok(loaded.unwrap(created.wrap(secret, aad), aad).equals(secret));
    const leftovers = (await readdir(directory)).filter((name) => name.endsWith('.tmp'));
    assert.deepEqual(leftovers, [], 'no temporary file is left');
  });

  test('concurrent loadOrCreate calls on one path end with one key', async () => {
    const path = join(directory, 'raced.key');
    const keys = await Promise.all(Array.from({ length: 6 }, () => RootKey.loadOrCreate(path)));
    assert.equal(new Set(keys.map((key) => key.id)).size, 1);
    const reloaded = await RootKey.loadOrCreate(path);
    assert.equal(reloaded.id, keys[0]?.id);
  });

  test('the id is a 16-hex fingerprint of a derived value, not of the file bytes', async () => {
    const path = join(directory, 'fingerprint.key');
    const rootKey = await RootKey.loadOrCreate(path);
    const bytes = await readFile(path);
    assert.match(rootKey.id, /^[0-9a-f]{16}$/);
    assert.ok(!createHash('sha256').update(bytes).digest('hex').startsWith(rootKey.id));
    assert.ok(!bytes.toString('hex').includes(rootKey.id));
    assert.equal(RootKey.fromBytes(SecretBytes.copyOf(bytes)).id, rootKey.id);
  });

  test('a group- or world-readable file is refused, naming the path and the problem', async () => {
    const path = join(directory, 'loose.key');
    const content = Buffer.alloc(32, 7);
    await writeFile(path, content, { mode: 0o600 });
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      await chmod(path, mode);
      await assert.rejects(RootKey.loadOrCreate(path), refusal(path, /group or others/, content));
    }
  });

  test('a file of the wrong size is refused, naming the path and the size', async () => {
    for (const size of [0, 16, 31, 33, 64]) {
      const path = join(directory, `size-${size}.key`);
      const content = Buffer.alloc(size, 9);
      await writeFile(path, content, { mode: 0o600 });
      const problem = new RegExp(`exactly 32 bytes, found ${size}`);
      await assert.rejects(RootKey.loadOrCreate(path), refusal(path, problem, content));
      assert.equal((await stat(path)).size, size, 'the file is left as it was');
    }
  });

  test('a directory at the path is refused', async () => {
    const path = join(directory, 'a-directory.key');
    await mkdir(path);
    await assert.rejects(RootKey.loadOrCreate(path), refusal(path, /not a regular file|EISDIR/));
  });

  test('a missing parent directory is reported with the path', async () => {
    const path = join(directory, 'missing', 'root.key');
    await assert.rejects(RootKey.loadOrCreate(path), refusal(path, /ENOENT/));
  });

  test('wrap gives version 1 | IV | ciphertext | tag, never the secret, and unwrap restores it', () => {
    const rootKey = RootKey.fromBytes(SecretBytes.random(32));
    const secret = SecretBytes.random(32);
    const wrapped = rootKey.wrap(secret, aad);
    assert.equal(wrapped.length, 1 + 12 + 32 + 16);
    assert.equal(wrapped[0], 1);
    assert.equal(wrapped.indexOf(secret.expose()), -1);
    assert.notDeepEqual(rootKey.wrap(secret, aad), wrapped, 'a fresh IV each time');
    assert.ok(rootKey.unwrap(wrapped, aad).equals(secret));
  });

  test('unwrap refuses another AAD, another root key, a tampered or malformed record', () => {
    const rootKey = RootKey.fromBytes(SecretBytes.random(32));
    const wrapped = rootKey.wrap(SecretBytes.random(32), aad);
    const isUnwrapFailure = (error: unknown): boolean => error instanceof UnwrapFailedError;
    assert.throws(() => rootKey.unwrap(wrapped, buildMaterialAad(keyArn, 'd'.repeat(64))), isUnwrapFailure);
    const otherRegionArn = keyArn.replace('eu-west-1', 'eu-west-2');
    assert.throws(() => rootKey.unwrap(wrapped, buildMaterialAad(otherRegionArn, materialId)), isUnwrapFailure);
    const otherRootKey = RootKey.fromBytes(SecretBytes.random(32));
    assert.throws(() => otherRootKey.unwrap(wrapped, aad), /does not authenticate under root key [0-9a-f]{16}/);
    for (let index = 1; index < wrapped.length; index += 1) {
      const altered = Buffer.from(wrapped);
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      assert.throws(() => rootKey.unwrap(altered, aad), isUnwrapFailure, `byte ${index}`);
    }
    const otherVersion = Buffer.from(wrapped);
    otherVersion[0] = 2;
    assert.throws(() => rootKey.unwrap(otherVersion, aad), /malformed or of an unknown format version/);
    assert.throws(() => rootKey.unwrap(wrapped.subarray(0, 28), aad), /malformed/);
  });

  test('fromBytes refuses a key that is not 32 bytes', () => {
    assert.throws(() => RootKey.fromBytes(SecretBytes.random(16)), /32 bytes/);
  });

  test('destroy wipes the wrapping key: wrap and unwrap fail loudly afterwards', () => {
    const rootKey = RootKey.fromBytes(SecretBytes.random(32));
    const wrapped = rootKey.wrap(SecretBytes.random(32), aad);
    rootKey.destroy();
    assert.throws(() => rootKey.wrap(SecretBytes.random(32), aad), /all zeros/);
    assert.throws(() => rootKey.unwrap(wrapped, aad), /all zeros/);
  });
});

describe('buildMaterialAad', () => {
  test('golden: label, key ARN and material id, each u16 length-prefixed', () => {
    const expected = [
      '001a', Buffer.from('strongroom/key-material/v1').toString('hex'),
      '0005', Buffer.from('arn:x').toString('hex'),
      '0002', '6964',
    ].join('');
    assert.equal(buildMaterialAad('arn:x', 'id').toString('hex'), expected);
  });

  test('length prefixes keep field boundaries: moving a byte between fields changes the AAD', () => {
    assert.notDeepEqual(buildMaterialAad('arn:ab', 'c'), buildMaterialAad('arn:a', 'bc'));
  });
});
