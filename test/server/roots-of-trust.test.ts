import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { kmsClientOf } from '../support/cluster.js';
import { directorySnapshot, encodedForms, readDataDirectoryStore, writeSecretFile } from '../support/data-directory-files.js';
import { attemptServe, type ServeAttempt } from '../support/serve-attempt.js';
import { administratorCredentials } from '../support/server-process.js';
import { createSoftHsmToken, softHsm, type SoftHsmToken } from '../support/softhsm.js';

/*
 * `strongroom serve --root-of-trust passphrase|pkcs11` as an operator runs it (dist/strongroom.js, the real SDK):
 * the first start makes the root and records what it is (never its secret); later starts, with workers, open it
 * again and serve what was stored before; every wrong root, PIN, module, token or file is refused at start with
 * one clear line that holds no secret, before anything in the data directory changes.
 */

const PLAINTEXT = Buffer.from('encrypted before the restart');
const CONTEXT = { purpose: 'roots-of-trust' };

/** A store made by a first start: its data directory and a ciphertext encrypted by that first server. */
interface Prepared {
  readonly dataDir: string;
  readonly ciphertext: Uint8Array;
}

/** Starts a server that must come up, failing with its output when it does not. */
async function serving(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ServeAttempt> {
  const attempt = await attemptServe(['--port', '0', ...args], env);
  if (attempt.endpoint === '') assert.fail(`the server did not start (exit ${await attempt.stop()}):\n${attempt.stdout()}\n${attempt.stderr()}`);
  return attempt;
}

/** A first start on a new data directory: it makes the root of trust; a key is created and used; then it stops. */
async function firstStart(dataDir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Prepared> {
  const server = await serving(['--data-dir', dataDir, '--workers', '1', ...args], env);
  const kms = kmsClientOf(server, administratorCredentials(dataDir));
  try {
    const keyId = (await kms.send(new CreateKeyCommand({ Description: 'made under the first root' }))).KeyMetadata!.KeyId!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT, EncryptionContext: CONTEXT }));
    return { dataDir, ciphertext: CiphertextBlob! };
  } finally {
    kms.destroy();
    assert.equal(await server.stop(), 0, server.stderr());
  }
}

/** Restarts with two workers and decrypts the first start's ciphertext through several connections (both workers). */
async function restartWithWorkersAndDecrypt(prepared: Prepared, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  const server = await serving(['--data-dir', prepared.dataDir, '--workers', '2', ...args], env);
  try {
    assert.match(server.stdout(), /2 workers/);
    assert.doesNotMatch(server.stdout(), /aws_secret_access_key/, 'a restart makes no new administrator');
    for (let connection = 0; connection < 4; connection++) {
      const kms = kmsClientOf(server, administratorCredentials(prepared.dataDir));
      try {
        const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: prepared.ciphertext, EncryptionContext: CONTEXT }));
        assert.deepEqual(Buffer.from(Plaintext!), PLAINTEXT);
      } finally {
        kms.destroy();
      }
    }
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
}

/**
 * A start that must be refused: it exits non-zero before listening, with one line naming the problem (no stack),
 * none of `secrets` in anything it printed, and every file of the data directory as it was, byte for byte.
 */
async function assertRefused(dataDir: string, args: readonly string[], env: NodeJS.ProcessEnv, message: RegExp, secrets: readonly string[]): Promise<void> {
  const before = existsSync(dataDir) ? directorySnapshot(dataDir) : undefined;
  const attempt = await attemptServe(['--data-dir', dataDir, '--port', '0', '--workers', '2', ...args], env);
  const code = await attempt.stop();
  const output = `${attempt.stdout()}\n${attempt.stderr()}`;
  assert.equal(attempt.endpoint, '', `it started:\n${output}`);
  assert.notEqual(code, 0);
  assert.match(attempt.stderr(), message);
  assert.match(attempt.stderr(), /^strongroom: /m);
  assert.doesNotMatch(output, /\n\s+at /, 'a message, not a stack trace');
  for (const secret of secrets) {
    for (const form of encodedForms(Buffer.from(secret))) assert.ok(!output.includes(form), 'a secret in the output');
  }
  const after = existsSync(dataDir) ? directorySnapshot(dataDir) : undefined;
  assert.deepEqual(after, before, 'the data directory changed');
}

/** The store's `root-of-trust` record, read from the stopped server's data directory. */
function rootOfTrustRecord(dataDir: string): Record<string, unknown> {
  const text = readDataDirectoryStore(dataDir).settings.get('root-of-trust');
  assert.ok(text !== undefined, 'the store records its root of trust');
  return JSON.parse(text) as Record<string, unknown>;
}

describe('--root-of-trust passphrase', () => {
  const passphrase = `correct horse battery ${randomBytes(6).toString('hex')}`;
  const wrongPassphrase = `incorrect horse ${randomBytes(6).toString('hex')}`;
  let dir = '';
  let passphraseFile = '';
  let prepared: Prepared;
  const args = (file = passphraseFile) => ['--root-of-trust', 'passphrase', '--passphrase-file', file];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strongroom-passphrase-root-'));
    passphraseFile = writeSecretFile(dir, 'passphrase', `${passphrase}\n`);
    prepared = await firstStart(join(dir, 'data'), args());
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the first start makes the root: no root.key, and the store records kind, salt and check value, not the passphrase', () => {
    assert.equal(existsSync(join(prepared.dataDir, 'root.key')), false);
    const record = rootOfTrustRecord(prepared.dataDir);
    assert.equal(record['kind'], 'passphrase');
    assert.match(String(record['check']), /^[0-9a-f]{16}$/);
    assert.equal(Buffer.from(String(record['salt']), 'base64').length, 16);
    assert.deepEqual(record['scrypt'], { N: 2 ** 17, r: 8, p: 1 });
    const text = JSON.stringify(record);
    for (const form of encodedForms(Buffer.from(passphrase))) assert.ok(!text.includes(form), 'the passphrase in the record');
  });

  test('a restart with 2 workers (each reading the passphrase file) decrypts what the first start encrypted', async () => {
    await restartWithWorkersAndDecrypt(prepared, args());
  });

  describe('refused starts: exit non-zero, a clear message without the passphrase, nothing written', () => {
    const secrets = () => [passphrase, wrongPassphrase];

    test('a passphrase that does not match', async () => {
      const wrong = writeSecretFile(dir, 'wrong-passphrase', wrongPassphrase);
      await assertRefused(prepared.dataDir, args(wrong), {}, /the passphrase does not match this store's root of trust/, secrets());
    });

    test('the right passphrase in a file readable by group or others', async () => {
      const open = writeSecretFile(dir, 'open-passphrase', passphrase, 0o644);
      await assertRefused(prepared.dataDir, args(open), {}, /passphrase file .*open-passphrase is accessible by group or others; run chmod 600/, secrets());
    });

    test('--root-of-trust file (the default): no root.key is made beside the passphrase\'s store', async () => {
      await assertRefused(prepared.dataDir, [], {}, /this store's root of trust is a passphrase, not a key file: start with --root-of-trust passphrase/, secrets());
      await assertRefused(prepared.dataDir, ['--root-of-trust', 'file'], {}, /root of trust is a passphrase, not a key file/, secrets());
    });

    test('no --passphrase-file and no terminal to type it at', async () => {
      await assertRefused(prepared.dataDir, ['--root-of-trust', 'passphrase'], {}, /needs --passphrase-file .* when not run on a terminal/, secrets());
    });

    test('a first start that is refused leaves no data directory behind', async () => {
      const open = writeSecretFile(dir, 'open-first-passphrase', passphrase, 0o640);
      await assertRefused(join(dir, 'never-made'), args(open), {}, /is accessible by group or others/, secrets());
    });
  });
});

describe('--root-of-trust pkcs11 (SoftHSM2)', { skip: softHsm.skip }, () => {
  let token: SoftHsmToken;
  /** A second, fresh token with the same label in another SoftHSM2 directory: the wrong token, plugged in. */
  let otherToken: SoftHsmToken;
  let dir = '';
  let prepared: Prepared;
  const wrongPin = randomBytes(8).toString('hex');
  const args = (pinFile = token.pinFile, modulePath = token.modulePath, tokenLabel = token.tokenLabel) => [
    '--root-of-trust', 'pkcs11', '--pkcs11-module', modulePath, '--pkcs11-token-label', tokenLabel, '--pkcs11-pin-file', pinFile,
  ];

  before(async () => {
    token = createSoftHsmToken();
    otherToken = createSoftHsmToken(token.tokenLabel);
    dir = await mkdtemp(join(tmpdir(), 'strongroom-pkcs11-root-'));
    prepared = await firstStart(join(dir, 'data'), args(), token.env);
  });
  after(async () => {
    token.remove();
    otherToken.remove();
    await rm(dir, { recursive: true, force: true });
  });

  test('the first start makes the key in the token: no root.key, and the store records the token and key labels, not the PIN', () => {
    assert.equal(existsSync(join(prepared.dataDir, 'root.key')), false);
    const record = rootOfTrustRecord(prepared.dataDir);
    assert.equal(record['kind'], 'pkcs11');
    assert.equal(record['tokenLabel'], token.tokenLabel);
    assert.match(String(record['keyLabel']), /^strongroom-root-[0-9a-f]{16}$/);
    assert.match(String(record['check']), /^[0-9a-f]{16}$/);
    assert.ok(!JSON.stringify(record).includes(token.pin), 'the PIN in the record');
  });

  test('a restart with 2 workers (each logging in to the token) decrypts what the first start encrypted', async () => {
    await restartWithWorkersAndDecrypt(prepared, args(), token.env);
  });

  describe('refused starts: exit non-zero, a clear message without the PIN, nothing written', () => {
    const secrets = () => [token.pin, otherToken.pin, wrongPin];

    test('a wrong PIN', async () => {
      const pinFile = writeSecretFile(dir, 'wrong.pin', wrongPin);
      await assertRefused(prepared.dataDir, args(pinFile), token.env, /C_Login to token "strongroom-[0-9a-f]+" failed: CKR_PIN_INCORRECT/, secrets());
    });

    test('a missing module', async () => {
      const missing = join(dir, 'no-such-libpkcs11.so');
      await assertRefused(prepared.dataDir, args(token.pinFile, missing), token.env, /no PKCS#11 module at .*no-such-libpkcs11\.so/, secrets());
    });

    test('an unknown token label', async () => {
      await assertRefused(prepared.dataDir, args(token.pinFile, token.modulePath, 'no-such-token'), token.env, /no token labelled "no-such-token"/, secrets());
    });

    test('a token without the key (a second, fresh token of the same label)', async () => {
      await assertRefused(
        prepared.dataDir, args(otherToken.pinFile), otherToken.env,
        /token strongroom-[0-9a-f]+ has no key strongroom-root-[0-9a-f]+: it is not the token this store's root of trust was made in/, secrets(),
      );
    });

    test('--root-of-trust file (the default): no root.key is made beside the token\'s store', async () => {
      await assertRefused(prepared.dataDir, [], token.env, /this store's root of trust is a PKCS#11 token, not a key file: start with --root-of-trust pkcs11/, secrets());
    });

    test('a PIN file readable by group or others', async () => {
      const pinFile = writeSecretFile(dir, 'open.pin', token.pin, 0o644);
      await assertRefused(prepared.dataDir, args(pinFile), token.env, /PIN file .*open\.pin is accessible by group or others; run chmod 600/, secrets());
    });

    test('a first start that is refused (a wrong PIN) leaves no data directory behind', async () => {
      const pinFile = writeSecretFile(dir, 'wrong-first.pin', wrongPin);
      await assertRefused(join(dir, 'never-made'), args(pinFile), token.env, /CKR_PIN_INCORRECT/, secrets());
    });
  });
});
