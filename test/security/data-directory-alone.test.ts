import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import Database from 'better-sqlite3';
import { UnwrapFailedError } from '../../src/crypto/crypto-errors.js';
import { buildMaterialAad, RootKey } from '../../src/crypto/root-key.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { importMaterial } from '../api/operations/import-fixtures.js';
import { kmsClientOf } from '../support/cluster.js';
import { directorySnapshot, encodedForms, filesUnder, readDataDirectoryStore, writeSecretFile } from '../support/data-directory-files.js';
import { attemptServe } from '../support/serve-attempt.js';
import { administratorCredentials } from '../support/server-process.js';
import { createSoftHsmToken, softHsm, type SoftHsmToken } from '../support/softhsm.js';

/*
 * Issue 14: the data directory of a passphrase- or PKCS#11-rooted server holds nothing that decrypts anything
 * without the passphrase or the token. A copy of the directory alone (what a backup or a thief has) starts under
 * no other root, holds neither a plaintext nor key material in any encoding, and its wrapped rows open under no
 * key a guess can make. Follows secrets-stay-secret.test.ts (files) and pg-dump-secrets.test.ts (the store).
 */

const PLAINTEXT_SENTINEL = Buffer.from('STRONGROOM-SENTINEL-PLAINTEXT-copied-alone');
/** Imported key material (32 bytes) that is recognisable wherever it lands. */
const MATERIAL_SENTINEL = Buffer.from('STRONGROOM-KEY-MATERIAL-SENTINEL');
const CONTEXT = { purpose: 'data-directory-alone' };

/** A rooted data directory as its server left it, and what that server encrypted. */
interface Original {
  readonly dataDir: string;
  readonly ciphertexts: readonly Uint8Array[];
}

/**
 * Serves the data directory once with `rootArgs`: imports the sentinel key material into an EXTERNAL key and
 * encrypts the sentinel plaintext under it and under a generated key; stops.
 */
async function makeOriginal(dataDir: string, rootArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<Original> {
  const server = await attemptServe(['--data-dir', dataDir, '--port', '0', '--workers', '1', ...rootArgs], env);
  assert.ok(server.endpoint, server.stderr());
  const kms = kmsClientOf(server, administratorCredentials(dataDir));
  try {
    const imported = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
    await importMaterial(kms, imported, MATERIAL_SENTINEL);
    const generated = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ciphertexts = [];
    for (const keyId of [imported, generated]) {
      ciphertexts.push((await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT_SENTINEL, EncryptionContext: CONTEXT }))).CiphertextBlob!);
    }
    return { dataDir, ciphertexts };
  } finally {
    kms.destroy();
    assert.equal(await server.stop(), 0, server.stderr());
  }
}

/** Copies the data directory, and only it, to `to`. */
function copyAlone(original: Original, to: string): string {
  cpSync(original.dataDir, to, { recursive: true });
  return to;
}

/** No file of `dir` holds the sentinels or any of `secrets`, in any encoding; the store holds wrapped material. */
function assertHoldsNoSecret(dir: string, secrets: ReadonlyArray<readonly [string, Buffer]>): void {
  assert.equal(existsSync(join(dir, 'root.key')), false, 'no root.key');
  assert.ok(readDataDirectoryStore(dir).materials.size >= 2, 'the store holds the keys\' wrapped material');
  const leaks = new Set<string>();
  const all = [['plaintext', PLAINTEXT_SENTINEL], ['key material', MATERIAL_SENTINEL], ...secrets] as const;
  for (const file of filesUnder(dir)) {
    const content = readFileSync(file).toString('latin1');
    for (const [what, secret] of all) {
      for (const form of encodedForms(secret)) if (content.includes(form)) leaks.add(`${what} in ${file}`);
    }
  }
  assert.deepEqual([...leaks], []);
}

/** A start from the copy that must fail, leaving the copy as it was (no new root.key, no changed store). */
async function assertStartFails(copy: string, rootArgs: readonly string[], env: NodeJS.ProcessEnv, message: RegExp): Promise<void> {
  const before = directorySnapshot(copy);
  const attempt = await attemptServe(['--data-dir', copy, '--port', '0', '--workers', '1', ...rootArgs], env);
  const code = await attempt.stop();
  assert.equal(attempt.endpoint, '', `the copy served with ${rootArgs.join(' ') || 'the default root'}`);
  assert.notEqual(code, 0);
  assert.match(attempt.stderr(), message);
  assert.deepEqual(directorySnapshot(copy), before);
}

/**
 * A tamperer's move: delete the copy's record of its root and its check value, every guard a start consults, so that
 * a start makes a new key file and meets the wrapped secrets themselves.
 */
function forgetRootOfTrust(copy: string): void {
  const db = new Database(join(copy, 'strongroom.db'), { fileMustExist: true });
  try {
    db.prepare("DELETE FROM settings WHERE name IN ('root-of-trust', 'root-key-check')").run();
  } finally {
    db.close();
  }
}

/** With the record and check value gone, a start with a new key file still opens nothing: it fails on the first wrapped secret. */
async function assertNewKeyFileOpensNothing(copy: string): Promise<void> {
  forgetRootOfTrust(copy);
  const attempt = await attemptServe(['--data-dir', copy, '--port', '0', '--workers', '1']);
  const code = await attempt.stop();
  assert.equal(attempt.endpoint, '', 'a new key file opened the copy');
  assert.notEqual(code, 0);
  // A key file's format (1) under another key, or the token's format (2), which no key file reads.
  assert.match(attempt.stderr(), /wrapped secret (does not authenticate under root key [0-9a-f]{16}|is malformed or of an unknown format version)/);
}

/** The original, with its own root, still decrypts: the sentinels are really in the store, wrapped. */
async function assertOriginalDecrypts(original: Original, rootArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const server = await attemptServe(['--data-dir', original.dataDir, '--port', '0', '--workers', '1', ...rootArgs], env);
  assert.ok(server.endpoint, server.stderr());
  const kms = kmsClientOf(server, administratorCredentials(original.dataDir));
  try {
    for (const ciphertext of original.ciphertexts) {
      const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: CONTEXT }));
      assert.deepEqual(Buffer.from(Plaintext!), PLAINTEXT_SENTINEL);
    }
  } finally {
    kms.destroy();
    assert.equal(await server.stop(), 0, server.stderr());
  }
}

/** Every wrapped material row of the copy fails to open under `root`. */
function assertNoMaterialOpens(copy: string, root: RootKey): void {
  for (const [name, wrapped] of readDataDirectoryStore(copy).materials) {
    const [keyArn, materialId] = [name.slice(0, name.lastIndexOf('/')), name.slice(name.lastIndexOf('/') + 1)];
    assert.throws(() => root.unwrap(wrapped, buildMaterialAad(keyArn, materialId)), UnwrapFailedError, name);
  }
}

describe('a passphrase-rooted data directory copied alone', () => {
  const passphrase = `the only secret ${randomBytes(8).toString('hex')}`;
  let dir = '';
  let rootArgs: string[] = [];
  let original: Original;
  let copy = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strongroom-alone-passphrase-'));
    rootArgs = ['--root-of-trust', 'passphrase', '--passphrase-file', writeSecretFile(dir, 'passphrase', passphrase)];
    original = await makeOriginal(join(dir, 'data'), rootArgs, {});
    copy = copyAlone(original, join(dir, 'copy'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('holds neither the plaintext, the key material nor the passphrase, in any file', () => {
    assertHoldsNoSecret(copy, [['passphrase', Buffer.from(passphrase)]]);
  });

  test('starts under no other root: a key file, another passphrase, a PKCS#11 token', async (t) => {
    await assertStartFails(copy, [], {}, /root of trust is a passphrase, not a key file/);
    const other = writeSecretFile(dir, 'other-passphrase', `a guess ${randomBytes(8).toString('hex')}`);
    await assertStartFails(copy, ['--root-of-trust', 'passphrase', '--passphrase-file', other], {}, /the passphrase does not match/);
    if (softHsm.skip !== false) {
      t.diagnostic(`the PKCS#11 attempt is skipped: ${softHsm.skip}`);
      return;
    }
    const token = createSoftHsmToken();
    try {
      await assertStartFails(copy, [
        '--root-of-trust', 'pkcs11', '--pkcs11-module', token.modulePath, '--pkcs11-token-label', token.tokenLabel, '--pkcs11-pin-file', token.pinFile,
      ], token.env, /root of trust is a passphrase, not a PKCS#11 token/);
    } finally {
      token.remove();
    }
  });

  test('its wrapped material opens under no other passphrase (with its own salt) and no key file', async () => {
    const record = JSON.parse(readDataDirectoryStore(copy).settings.get('root-of-trust') ?? '{}') as { salt: string; scrypt: { N: number; r: number; p: number } };
    const guess = SecretBytes.copyOf(Buffer.from(`${passphrase}!`));
    const guessed = await RootKey.fromPassphrase(guess, Buffer.from(record.salt, 'base64'), record.scrypt);
    const random = SecretBytes.random(32);
    const keyFile = RootKey.fromBytes(random);
    try {
      assertNoMaterialOpens(copy, guessed);
      assertNoMaterialOpens(copy, keyFile);
    } finally {
      guessed.destroy();
      keyFile.destroy();
      guess.wipe();
      random.wipe();
    }
  });

  test('with its root-of-trust record deleted, a new key file opens nothing', async () => {
    await assertNewKeyFileOpensNothing(copyAlone(original, join(dir, 'tampered')));
  });

  test('the original, with its passphrase, still decrypts what was encrypted (the sentinels are in it, wrapped)', async () => {
    await assertOriginalDecrypts(original, rootArgs, {});
  });
});

describe('a PKCS#11-rooted data directory copied alone (SoftHSM2)', { skip: softHsm.skip }, () => {
  let token: SoftHsmToken;
  /** A fresh token with the same label, in another SoftHSM2 directory: what a thief can plug in. */
  let otherToken: SoftHsmToken;
  let dir = '';
  let original: Original;
  let copy = '';
  const tokenArgs = (of: SoftHsmToken) => [
    '--root-of-trust', 'pkcs11', '--pkcs11-module', of.modulePath, '--pkcs11-token-label', of.tokenLabel, '--pkcs11-pin-file', of.pinFile,
  ];

  before(async () => {
    token = createSoftHsmToken();
    otherToken = createSoftHsmToken(token.tokenLabel);
    dir = await mkdtemp(join(tmpdir(), 'strongroom-alone-pkcs11-'));
    original = await makeOriginal(join(dir, 'data'), tokenArgs(token), token.env);
    copy = copyAlone(original, join(dir, 'copy'));
  });
  after(async () => {
    token.remove();
    otherToken.remove();
    await rm(dir, { recursive: true, force: true });
  });

  test('holds neither the plaintext, the key material nor the PIN, in any file', () => {
    assertHoldsNoSecret(copy, [['PIN', Buffer.from(token.pin)]]);
  });

  test('starts under no other root: a key file, a passphrase, another token with the same label', async () => {
    await assertStartFails(copy, [], {}, /root of trust is a PKCS#11 token, not a key file/);
    const passphrase = writeSecretFile(dir, 'passphrase', `a guess ${randomBytes(8).toString('hex')}`);
    await assertStartFails(copy, ['--root-of-trust', 'passphrase', '--passphrase-file', passphrase], {}, /root of trust is a PKCS#11 token, not a passphrase/);
    await assertStartFails(copy, tokenArgs(otherToken), otherToken.env, /has no key strongroom-root-[0-9a-f]+: it is not the token/);
  });

  test('its wrapped material is in the token\'s format and opens under no key file', () => {
    const random = SecretBytes.random(32);
    const keyFile = RootKey.fromBytes(random);
    try {
      for (const [name, wrapped] of readDataDirectoryStore(copy).materials) assert.equal(wrapped[0], 2, `${name} wrapped in the token`);
      assertNoMaterialOpens(copy, keyFile);
    } finally {
      keyFile.destroy();
      random.wipe();
    }
  });

  test('with its root-of-trust record deleted, a new key file opens nothing', async () => {
    await assertNewKeyFileOpensNothing(copyAlone(original, join(dir, 'tampered')));
  });

  test('the original, with its token, still decrypts what was encrypted (the sentinels are in it, wrapped)', async () => {
    await assertOriginalDecrypts(original, tokenArgs(token), token.env);
  });
});
