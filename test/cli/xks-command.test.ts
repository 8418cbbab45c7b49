import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHttpServer } from '../../src/api/http/http-server.js';
import { silentLogger } from '../../src/observability/logger.js';
import { openNode } from '../../src/server/node.js';
import { sendXksCall } from '../xks/xks-test-server.js';

/*
 * `strongroom xks create-credential | list | delete`, run as a process (src/cli/main.ts through tsx: no build needed)
 * on a data directory: the credential is printed once as the AWS KMS console's proxy configuration file, stored only
 * wrapped, and a server on that data directory answers calls signed with it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ACCOUNT = '111122223333';

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function strongroom(args: readonly string[]): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout, stderr };
}

interface ConfigurationFile {
  readonly XksProxyUriPath: string;
  readonly XksProxyAuthenticationCredential: { readonly AccessKeyId: string; readonly RawSecretAccessKey: string };
}

describe('strongroom xks', () => {
  let dataDir = '';
  const xks = (...args: string[]) => strongroom(['xks', ...args, '--data-dir', dataDir]);
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'strongroom-xks-cli-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  let created: ConfigurationFile;

  test('create-credential prints the console\'s proxy configuration file once, and creates the user it acts as', async () => {
    const result = await xks('create-credential', '--account', ACCOUNT);
    assert.equal(result.status, 0, result.stderr);
    created = JSON.parse(result.stdout) as ConfigurationFile;
    assert.deepEqual(Object.keys(created), ['XksProxyUriPath', 'XksProxyAuthenticationCredential']);
    assert.equal(created.XksProxyUriPath, '/xks/kms/xks/v1');
    const { AccessKeyId, RawSecretAccessKey } = created.XksProxyAuthenticationCredential;
    // The specification's Appendix A: 20–30 of [A-Z2-7]; a secret of 256 random bits, Base64 (43–64 of [A-Za-z0-9+/=]).
    assert.match(AccessKeyId, /^[A-Z2-7]{20,30}$/);
    assert.match(RawSecretAccessKey, /^[A-Za-z0-9+/=]{43,64}$/);
    assert.equal(Buffer.from(RawSecretAccessKey, 'base64').length, 32);
    assert.match(result.stderr, new RegExp(`${AccessKeyId} acts as arn:aws:iam::${ACCOUNT}:user/xks-proxy \\(user created\\)`));
  });

  test('the secret is stored only wrapped: no file of the data directory holds it', async () => {
    const secret = created.XksProxyAuthenticationCredential.RawSecretAccessKey;
    for (const name of await readdir(dataDir, { recursive: true })) {
      const bytes = await readFile(join(dataDir, name)).catch(() => Buffer.alloc(0));
      assert.ok(!bytes.includes(secret), `${name} holds the secret`);
    }
  });

  test('a server on the data directory answers a call signed with it', async () => {
    const node = await openNode({ dataDir, log: silentLogger, xksProxy: { uriPrefix: '/xks' } });
    const server: Server = createHttpServer(node.app);
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const { AccessKeyId, RawSecretAccessKey } = created.XksProxyAuthenticationCredential;
      const answer = await sendXksCall({
        endpoint,
        path: `${created.XksProxyUriPath}/health`,
        body: { requestMetadata: { kmsOperation: 'KmsHealthCheck', kmsRequestId: 'cli-1' } },
        credentials: { accessKeyId: AccessKeyId, secretAccessKey: RawSecretAccessKey },
        serverCertificate: undefined,
      });
      assert.equal(answer.status, 200, answer.text);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.close();
    }
  });

  test('a second credential for the same user (rotation), with another URI prefix; list shows both', async () => {
    const result = await xks('create-credential', '--account-id', ACCOUNT, '--user', 'XKS-Proxy', '--uri-prefix', 'tenant-a/');
    assert.equal(result.status, 0, result.stderr);
    const second = JSON.parse(result.stdout) as ConfigurationFile;
    assert.equal(second.XksProxyUriPath, '/tenant-a/kms/xks/v1');
    assert.doesNotMatch(result.stderr, /user created/);
    const listed = await xks('list');
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split('\n').sort();
    const ids = [created, second].map((file) => file.XksProxyAuthenticationCredential.AccessKeyId).sort();
    assert.equal(lines.length, 2);
    for (const [index, line] of lines.entries()) {
      // The user as IAM stores it, whatever case the command named it in.
      assert.match(line, new RegExp(`^${ids[index]}\\t${ACCOUNT}\\txks-proxy\\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t(-|\\d{4}-.+Z)$`));
    }
    assert.doesNotMatch(listed.stdout, /RawSecretAccessKey|[A-Za-z0-9+/]{43}=/);
  });

  test('delete removes one; deleting it again is an error (exit 1)', async () => {
    const id = created.XksProxyAuthenticationCredential.AccessKeyId;
    const deleted = await xks('delete', '--access-key-id', id);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(deleted.stdout, `Deleted XKS credential ${id}.\n`);
    const again = await xks('delete', '--access-key-id', id);
    assert.equal(again.status, 1);
    assert.match(again.stderr, new RegExp(`no XKS credential ${id} exists`));
    assert.equal((await xks('list')).stdout.trimEnd().split('\n').length, 1);
  });

  test('a wrong command line is a usage error (exit 2), naming the problem', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['create-credential', '--account', ACCOUNT, '--uri-prefix', '/bad prefix'], /invalid --uri-prefix/],
      [['create-credential', '--access-key-id', 'XKSAAAAAAAAAAAAAAAAAAAAA'], /takes no --access-key-id/],
      [['delete'], /--access-key-id is required/],
      [['delete', '--access-key-id', 'AKIA0123456789EXAMPLE'], /invalid XKS access key id/],
      [['frobnicate'], /unknown xks command 'frobnicate'/],
      [['list', '--no-such-flag'], /Unknown option '--no-such-flag'/],
    ];
    for (const [args, message] of cases) {
      const result = await xks(...args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /xks create-credential/);
    }
  });

  test('an IAM name IAM refuses is refused (exit 1), and nothing is created', async () => {
    const result = await xks('create-credential', '--account', ACCOUNT, '--user', 'no spaces');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /ValidationError/);
    assert.equal((await xks('list')).stdout.trimEnd().split('\n').length, 1);
  });
});
