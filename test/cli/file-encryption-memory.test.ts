import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../support/server.js';
import { cliEnvironment, runCli } from './file-encryption-support.js';

const MiB = 1024 * 1024;
const FILE_SIZE = 200 * MiB;
/** Well under the file's size: a command that held the file, or even half of it, would exceed it. */
const MEMORY_BOUND = 150 * MiB;

/**
 * Loaded into the CLI's process with `--import`: writes the process's peak resident set size (bytes) to the
 * file the environment names, as the process exits.
 */
const MAX_RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    "process.on('exit', () => writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));",
)}`;

/** `size` bytes of random data, made as they are read (never held whole), and their SHA-256 once read. */
function randomStream(size: number): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let left = size; left > 0; left -= MiB) {
      const chunk = randomBytes(Math.min(MiB, left));
      hash.update(chunk);
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks()), digest: () => hash.digest('hex') };
}

describe('encrypt-file and decrypt-file stream: a 200 MB file in bounded memory', () => {
  let server: TestServer;
  let dir: string;
  let keyArn: string;
  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'strongroom-file-encryption-memory-'));
    keyArn = (await server.kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('200 MB from standard input to a file and back to standard output, each run under 150 MB of memory', async (t) => {
    const encryptedPath = join(dir, 'large.enc');
    const rssFile = join(dir, 'max-rss');
    const env = cliEnvironment(server, { MAX_RSS_FILE: rssFile });
    const nodeArgs = ['--import', MAX_RSS_PROBE];

    const input = randomStream(FILE_SIZE);
    const encrypted = await runCli(['encrypt-file', '--key-id', keyArn, '--context', 'purpose=large', '-', encryptedPath], { env, nodeArgs, stdin: input.stream });
    assert.equal(encrypted.code, 0, encrypted.stderr);
    const encryptPeak = Number(await readFile(rssFile, 'utf8'));
    assert.ok((await stat(encryptedPath)).size > FILE_SIZE);

    const output = createHash('sha256');
    let outputSize = 0;
    const decrypted = await runCli(['decrypt-file', '--key-id', keyArn, '--context', 'purpose=large', encryptedPath, '-'], {
      env,
      nodeArgs,
      onStdout: (chunk) => {
        output.update(chunk);
        outputSize += chunk.length;
      },
    });
    assert.equal(decrypted.code, 0, decrypted.stderr);
    const decryptPeak = Number(await readFile(rssFile, 'utf8'));

    assert.equal(outputSize, FILE_SIZE);
    assert.equal(output.digest('hex'), input.digest());
    const peaks = `peak RSS: encrypt ${(encryptPeak / MiB).toFixed(1)} MiB, decrypt ${(decryptPeak / MiB).toFixed(1)} MiB`;
    t.diagnostic(peaks);
    assert.ok(encryptPeak > 0 && encryptPeak < MEMORY_BOUND, peaks);
    assert.ok(decryptPeak > 0 && decryptPeak < MEMORY_BOUND, peaks);
  });
});
