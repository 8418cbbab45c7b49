import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { newClusterDir, readCredentialsFile, runStrongroom, startNode, type Credentials } from '../support/cluster.js';
import { directorySnapshot, readDataDirectoryStore, writeSecretFile, type WrappedRows } from '../support/data-directory-files.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';
import { attemptServe, type ServeAttempt } from '../support/serve-attempt.js';
import { administratorCredentials } from '../support/server-process.js';
import { createSoftHsmToken, softHsm } from '../support/softhsm.js';
import { assertWorkloadIntact, makeWorkload } from './rewrap-workload.js';

/*
 * `strongroom rewrap --to ...` (dist/strongroom.js) moving a store from root to root with every server stopped:
 * what was encrypted, signed and MACed before every move still decrypts and verifies after it, each wrapped row
 * has really been rewrapped, the data directory's key file follows the root, and a refused rewrap changes nothing.
 */

const postgres = await startTestPostgres({ maxConnections: 100 });
after(() => postgres.found?.stop());

const WRAPPED_SETTINGS = ['audit-signing-key', 'grant-token-key'];

/** Starts a server that must come up, failing with its output when it does not. */
async function serving(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ServeAttempt> {
  const attempt = await attemptServe(['--port', '0', '--workers', '1', ...args], env);
  if (attempt.endpoint === '') assert.fail(`the server did not start (exit ${await attempt.stop()}):\n${attempt.stdout()}\n${attempt.stderr()}`);
  return attempt;
}

/** Runs `body` against a server started with `args`, then stops it cleanly. */
async function withServer(args: readonly string[], env: NodeJS.ProcessEnv, body: (endpoint: string) => Promise<void>): Promise<void> {
  const server = await serving(args, env);
  try {
    await body(server.endpoint);
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
}

/**
 * Runs `strongroom rewrap ...args` and checks what it did to the data directory's store: it succeeded, named the
 * two kinds and counted every row; every wrapped material, access key and setting changed, in the new root's
 * format (version 2 for a token, 1 otherwise); and the `root-of-trust` record names the new kind.
 */
async function rewrapDataDirectory(
  dataDir: string, args: readonly string[], env: NodeJS.ProcessEnv, from: string, to: 'file' | 'passphrase' | 'pkcs11',
): Promise<void> {
  const before = readDataDirectoryStore(dataDir);
  const result = await runStrongroom(['rewrap', '--data-dir', dataDir, ...args], env);
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  const wrappedSettings = WRAPPED_SETTINGS.filter((name) => before.settings.has(name)).length;
  assert.match(result.stdout, new RegExp(
    `^Moved ${before.materials.size} key material versions, ${before.accessKeys.size} secret access keys, 0 custom key stores' ` +
      `secrets, 0 XKS proxy credentials and ${wrappedSettings} ` +
      `wrapped settings from root of trust [0-9a-f]{16} \\(${from}\\) to [0-9a-f]{16} \\(${to}\\)\\.$`, 'm',
  ));
  const afterwards = readDataDirectoryStore(dataDir);
  assertAllRewrapped(before, afterwards, to === 'pkcs11' ? 2 : 1);
  const record = afterwards.settings.get('root-of-trust');
  if (to === 'file') assert.equal(record, undefined, 'a key file root has no record');
  else assert.equal((JSON.parse(record ?? '{}') as { kind?: string }).kind, to);
}

function assertAllRewrapped(before: WrappedRows, afterwards: WrappedRows, formatVersion: number): void {
  for (const [kind, old, now] of [['material', before.materials, afterwards.materials], ['access key', before.accessKeys, afterwards.accessKeys]] as const) {
    assert.deepEqual([...now.keys()].sort(), [...old.keys()].sort(), `the same ${kind} rows`);
    for (const [name, wrapped] of now) {
      assert.notDeepEqual(wrapped, old.get(name), `${kind} ${name} rewrapped`);
      assert.equal(wrapped[0], formatVersion, `${kind} ${name} in format ${formatVersion}`);
    }
  }
  for (const name of WRAPPED_SETTINGS) {
    assert.ok(before.settings.has(name), `${name} was there to rewrap`);
    assert.notEqual(afterwards.settings.get(name), before.settings.get(name), `${name} rewrapped`);
  }
}

describe('strongroom rewrap on a data directory', () => {
  test('file -> passphrase -> pkcs11 -> file: what was made before still works after every move', { skip: softHsm.skip }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strongroom-rewrap-'));
    const token = createSoftHsmToken();
    try {
      const dataDir = join(dir, 'data');
      const rootKeyFile = join(dataDir, 'root.key');
      const passphraseFile = writeSecretFile(dir, 'passphrase', `rewrap passphrase ${randomBytes(8).toString('hex')}\n`);
      const passphraseArgs = ['--root-of-trust', 'passphrase', '--passphrase-file', passphraseFile];
      const tokenArgs = (prefix: string) => [
        `--${prefix}pkcs11-module`, token.modulePath, `--${prefix}pkcs11-token-label`, token.tokenLabel, `--${prefix}pkcs11-pin-file`, token.pinFile,
      ];

      // A key-file store (the default) and everything the moves must carry.
      let admin: Credentials | undefined;
      const workload = await (async () => {
        const server = await serving(['--data-dir', dataDir]);
        try {
          admin = administratorCredentials(dataDir);
          return await makeWorkload(server.endpoint, admin);
        } finally {
          assert.equal(await server.stop(), 0, server.stderr());
        }
      })();
      const firstKeyFile = readFileSync(rootKeyFile);

      await rewrapDataDirectory(dataDir, ['--to', 'passphrase', '--to-passphrase-file', passphraseFile], {}, 'file', 'passphrase');
      assert.equal(existsSync(rootKeyFile), false, 'the old root.key is removed');
      await withServer(['--data-dir', dataDir, ...passphraseArgs], {}, (endpoint) => assertWorkloadIntact(endpoint, admin!, workload));

      await rewrapDataDirectory(dataDir, [...passphraseArgs, '--to', 'pkcs11', ...tokenArgs('to-')], token.env, 'passphrase', 'pkcs11');
      assert.equal(existsSync(rootKeyFile), false);
      await withServer(['--data-dir', dataDir, '--root-of-trust', 'pkcs11', ...tokenArgs('')], token.env, (endpoint) =>
        assertWorkloadIntact(endpoint, admin!, workload));

      await rewrapDataDirectory(dataDir, ['--root-of-trust', 'pkcs11', ...tokenArgs(''), '--to', 'file'], token.env, 'pkcs11', 'file');
      assert.equal(statSync(rootKeyFile).mode & 0o777, 0o600, 'a new root.key, private');
      assert.equal(statSync(rootKeyFile).size, 32);
      assert.notDeepEqual(readFileSync(rootKeyFile), firstKeyFile, 'a new key, not the first one back');
      assert.equal(existsSync(`${rootKeyFile}.new`), false, 'root.key.new was renamed');
      await withServer(['--data-dir', dataDir], {}, (endpoint) => assertWorkloadIntact(endpoint, admin!, workload));
    } finally {
      token.remove();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a refused rewrap (a wrong current passphrase, a target passphrase file others can read) changes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strongroom-rewrap-refused-'));
    try {
      const dataDir = join(dir, 'data');
      const passphrase = `current ${randomBytes(8).toString('hex')}`;
      const passphraseFile = writeSecretFile(dir, 'passphrase', passphrase);
      const wrongFile = writeSecretFile(dir, 'wrong', `wrong ${randomBytes(8).toString('hex')}`);
      const newFile = writeSecretFile(dir, 'new', `new ${randomBytes(8).toString('hex')}`, 0o644);
      await withServer(['--data-dir', dataDir, '--root-of-trust', 'passphrase', '--passphrase-file', passphraseFile], {}, async () => {});
      const before = directorySnapshot(dataDir);
      const attempts: Array<[readonly string[], RegExp]> = [
        [['--root-of-trust', 'passphrase', '--passphrase-file', wrongFile, '--to', 'file'], /the passphrase does not match this store's root of trust/],
        [['--to', 'file'], /this store's root of trust is a passphrase, not a key file/],
        [['--root-of-trust', 'passphrase', '--passphrase-file', passphraseFile, '--to', 'passphrase', '--to-passphrase-file', newFile],
          /passphrase file .*new is accessible by group or others/],
      ];
      for (const [args, message] of attempts) {
        const result = await runStrongroom(['rewrap', '--data-dir', dataDir, ...args]);
        assert.notEqual(result.status, 0, result.stdout);
        assert.match(result.stderr, message);
        assert.ok(!`${result.stdout}${result.stderr}`.includes(passphrase), 'the passphrase in the output');
        assert.deepEqual(directorySnapshot(dataDir), before, `the data directory changed: ${args.join(' ')}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('strongroom rewrap on PostgreSQL', { skip: postgres.skip }, () => {
  test('init --root-of-trust passphrase, two nodes with it, rewrap to a new key file, nodes with --root-key-file', async () => {
    const dir = await newClusterDir();
    const nodes: ServeAttempt[] = [];
    try {
      const databaseUrl = await createTestDatabase(postgres.found!, 'rewrap');
      const passphraseFile = writeSecretFile(dir, 'passphrase', `cluster passphrase ${randomBytes(8).toString('hex')}`);
      const passphraseArgs = ['--database-url', databaseUrl, '--root-of-trust', 'passphrase', '--passphrase-file', passphraseFile];
      const init = await runStrongroom(['init', ...passphraseArgs, '--credentials-file', join(dir, 'credentials')]);
      assert.equal(init.status, 0, `${init.stdout}\n${init.stderr}`);
      const admin = readCredentialsFile(join(dir, 'credentials'));

      nodes.push(await serving([...passphraseArgs, '--workers', '2']), await serving(passphraseArgs));
      const [a, b] = nodes as [ServeAttempt, ServeAttempt];
      const workload = await makeWorkload(a.endpoint, admin);
      await assertWorkloadIntact(b.endpoint, admin, workload);
      for (const node of nodes.splice(0)) assert.equal(await node.stop(), 0, node.stderr());

      const newKeyFile = join(dir, 'new-root.key');
      const rewrap = await runStrongroom(['rewrap', ...passphraseArgs, '--to', 'file', '--to-root-key-file', newKeyFile]);
      assert.equal(rewrap.status, 0, `${rewrap.stdout}\n${rewrap.stderr}`);
      assert.match(rewrap.stdout, /^Moved \d+ key material versions, 2 secret access keys, 0 custom key stores' secrets, 0 XKS proxy credentials and 2 wrapped settings from root of trust [0-9a-f]{16} \(passphrase\) to [0-9a-f]{16} \(file\)\.$/m);
      assert.equal(statSync(newKeyFile).mode & 0o777, 0o600);

      const keyFileNode = await startNode('A', { databaseUrl, rootKeyFile: newKeyFile, workers: 2 });
      try {
        await assertWorkloadIntact(keyFileNode.endpoint, admin, workload);
      } finally {
        assert.equal(await keyFileNode.stop(), 0, keyFileNode.stderr());
      }
      // The passphrase no longer opens the database.
      const old = await attemptServe(['--port', '0', '--workers', '1', ...passphraseArgs]);
      assert.equal(old.endpoint, '', 'the old passphrase still opens the database');
      assert.notEqual(await old.stop(), 0);
      assert.match(old.stderr(), /^strongroom: database postgresql:\/\/\S+: this store's root of trust is a key file, not a passphrase/m);
    } finally {
      for (const node of nodes) await node.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
