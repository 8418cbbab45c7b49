import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CustomKeyStore } from '../../src/keys/custom-key-store.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { initDatabase, newClusterDir, runStrongroom, type CommandResult } from '../support/cluster.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';
import { createSoftHsmToken, softHsm, type SoftHsmToken } from '../support/softhsm.js';

/*
 * `strongroom hsm register | list | remove` (dist/strongroom.js), the operator's registry of HSM clusters
 * (ADR 0022, Decision 1), on a SoftHSM2 token: a cluster is stored only once its token is found, a bad command
 * line is a usage error (exit 2), and every refusal is one line on stderr (exit 1) that changed nothing.
 */

const postgres = await startTestPostgres();
after(() => postgres.found?.stop());

const CLUSTER_ID = 'cluster-234567abcdefg';
const OTHER_CLUSTER_ID = 'cluster-ABCDEFGHIJK';

/** One line of `hsm list`: id, token label, module path, registration time (ISO). */
function listLine(clusterId: string, token: SoftHsmToken): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${clusterId}\\t${escape(token.tokenLabel)}\\t${escape(token.modulePath)}\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$`);
}

/** A refusal: exit 1, nothing on stdout, one line on stderr (no stack trace) matching `message`. */
function assertRefused(result: CommandResult, message: RegExp): void {
  assert.equal(result.status, 1, `${result.stdout}\n${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr.trimEnd(), message);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line: ${result.stderr}`);
}

/** A usage error: exit 2, the reason and the usage on stderr. */
function assertUsageError(result: CommandResult, message: RegExp): void {
  assert.equal(result.status, 2, `${result.stdout}\n${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, message);
  assert.match(result.stderr, /hsm register/);
}

describe('strongroom hsm on a data directory (SoftHSM2)', { skip: softHsm.skip }, () => {
  let token: SoftHsmToken;
  let dir = '';
  let dataDir = '';
  const hsm = (...args: string[]) => runStrongroom(['hsm', ...args, '--data-dir', dataDir], token.env);
  const register = (clusterId: string, tokenLabel = token.tokenLabel, modulePath = token.modulePath) =>
    hsm('register', '--cluster-id', clusterId, '--module', modulePath, '--token-label', tokenLabel);
  const listed = async (): Promise<string[]> => {
    const result = await hsm('list');
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.split('\n').filter((line) => line !== '');
  };

  before(async () => {
    token = createSoftHsmToken();
    dir = await mkdtemp(join(tmpdir(), 'strongroom-hsm-command-'));
    dataDir = join(dir, 'data');
  });
  after(async () => {
    token?.remove();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  test('register finds the token, names it with its serial number and stores the module path absolute; list shows it', async () => {
    // A relative module path (the child runs in this process's directory) is stored resolved.
    const registered = await register(CLUSTER_ID, token.tokenLabel, relative(process.cwd(), token.modulePath));
    assert.equal(registered.status, 0, registered.stderr);
    assert.match(
      registered.stdout,
      new RegExp(`^Registered cluster ${CLUSTER_ID}: token "${token.tokenLabel}" \\(serial number [^)\\s]+\\) in ${token.modulePath}\\n$`),
    );
    assert.equal((await listed()).length, 1);
    assert.match((await listed())[0]!, listLine(CLUSTER_ID, token));

    // The data directory also comes from STRONGROOM_DATA_DIR, as for every command.
    const fromEnvironment = await runStrongroom(['hsm', 'list'], { ...token.env, STRONGROOM_DATA_DIR: dataDir });
    assert.equal(fromEnvironment.status, 0, fromEnvironment.stderr);
    assert.match(fromEnvironment.stdout.trimEnd(), listLine(CLUSTER_ID, token));
  });

  test('a cluster id not of the form cluster-[2-7a-zA-Z]{11,16} is a usage error', async () => {
    for (const clusterId of ['cluster-abc', 'cluster-1234567890a', 'hsm-234567abcdefg', `cluster-${'a'.repeat(17)}`]) {
      assertUsageError(await register(clusterId), new RegExp(`invalid cluster id '${clusterId}'`));
    }
    assertUsageError(await hsm('register', '--module', token.modulePath, '--token-label', token.tokenLabel), /--cluster-id is required/);
    assertUsageError(await hsm('register', '--cluster-id', OTHER_CLUSTER_ID, '--token-label', token.tokenLabel), /--module is required/);
    assertUsageError(await hsm('frobnicate'), /unknown hsm command 'frobnicate'/);
    assertUsageError(await hsm('list', '--cluster-id', CLUSTER_ID), /hsm list takes no --cluster-id/);
    assert.equal((await listed()).length, 1);
  });

  test('a missing module or a token label no token has is refused, and nothing is written', async () => {
    const fresh = join(dir, 'never-created');
    const registerIn = (dataDirectory: string, modulePath: string, tokenLabel: string) =>
      runStrongroom(['hsm', 'register', '--cluster-id', OTHER_CLUSTER_ID, '--module', modulePath, '--token-label', tokenLabel,
        '--data-dir', dataDirectory], token.env);

    const noModule = join(dir, 'no-such-module.so');
    assertRefused(await registerIn(fresh, noModule, token.tokenLabel), new RegExp(`^strongroom: no PKCS#11 module at ${noModule}$`));
    assertRefused(await registerIn(fresh, dir, token.tokenLabel), /is not a file/);
    assertRefused(await registerIn(fresh, token.modulePath, 'no-such-token'), /^strongroom: no token labelled "no-such-token" in /);
    assert.equal(existsSync(fresh), false, 'a refused registration creates no data directory');

    assertRefused(await registerIn(dataDir, token.modulePath, 'no-such-token'), /no token labelled "no-such-token"/);
    assert.equal((await listed()).length, 1);
  });

  test('a second registration of a cluster id is refused', async () => {
    assertRefused(await register(CLUSTER_ID), new RegExp(`^strongroom: cluster ${CLUSTER_ID} is registered already`));
    assert.equal((await listed()).length, 1);
  });

  test('remove refuses a cluster a custom key store uses, until the store is deleted', async () => {
    const scope = { accountId: '111122223333', region: 'us-east-1' };
    const keyStore: CustomKeyStore = {
      ...scope,
      id: 'cks-1234567890abcdef0',
      name: 'hsm-command-test',
      type: 'AWS_CLOUDHSM',
      clusterId: CLUSTER_ID,
      trustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nnot checked by the store\n-----END CERTIFICATE-----\n',
      wrappedPin: Buffer.from('not a real wrapped pin'),
      connectionState: 'DISCONNECTED',
      createdAt: Date.now(),
      revision: 1,
    };
    const store = await openSqliteStore({ path: join(dataDir, 'strongroom.db') });
    try {
      await store.keyStores.create(keyStore);
      try {
        assertRefused(await hsm('remove', '--cluster-id', CLUSTER_ID),
          new RegExp(`^strongroom: cluster ${CLUSTER_ID} is used by a custom key store; delete the store first$`));
        assert.equal((await listed()).length, 1);
      } finally {
        await store.keyStores.delete(scope, keyStore.id);
      }
    } finally {
      await store.close();
    }
  });

  test('remove forgets a cluster; removing it again, or one never registered, is refused', async () => {
    const removed = await hsm('remove', '--cluster-id', CLUSTER_ID);
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal(removed.stdout, `Removed cluster ${CLUSTER_ID}.\n`);
    assert.deepEqual(await listed(), []);
    assertRefused(await hsm('remove', '--cluster-id', CLUSTER_ID), new RegExp(`^strongroom: no cluster ${CLUSTER_ID} is registered$`));
    assertRefused(await hsm('remove', '--cluster-id', OTHER_CLUSTER_ID), /no cluster .* is registered/);
    assertUsageError(await hsm('remove', '--cluster-id', 'nonsense'), /invalid cluster id 'nonsense'/);
  });
});

describe('strongroom hsm on a shared database (SoftHSM2, PostgreSQL)', { skip: softHsm.skip || postgres.skip }, () => {
  let token: SoftHsmToken;
  let databaseUrl = '';
  let rootKeyFile = '';
  const hsm = (...args: string[]) => runStrongroom(['hsm', ...args], { ...token.env, STRONGROOM_DATABASE_URL: databaseUrl, STRONGROOM_ROOT_KEY_FILE: rootKeyFile });

  before(async () => {
    token = createSoftHsmToken();
    const dir = await newClusterDir();
    databaseUrl = await createTestDatabase(postgres.found!, 'hsm');
    rootKeyFile = join(dir, 'root.key');
    await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'));
  });
  after(() => token?.remove());

  test('register, list and remove work on the database the environment names', async () => {
    const registered = await hsm('register', '--cluster-id', CLUSTER_ID, '--module', token.modulePath, '--token-label', token.tokenLabel);
    assert.equal(registered.status, 0, registered.stderr);
    assertRefused(
      await hsm('register', '--cluster-id', CLUSTER_ID, '--module', token.modulePath, '--token-label', token.tokenLabel),
      /is registered already/,
    );
    const listed = await hsm('list');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout.trimEnd(), listLine(CLUSTER_ID, token));
    const removed = await hsm('remove', '--cluster-id', CLUSTER_ID);
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal((await hsm('list')).stdout, '');
  });
});
