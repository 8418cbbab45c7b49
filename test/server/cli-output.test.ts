import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { BUNDLED_CLI as CLI } from '../support/server-process.js';
import { startTestServer } from '../support/server.js';

const RECORDS = 3000;
/**
 * How long the reader leaves the pipe unread. Nothing is asserted about time: a command that writes all it
 * read passes however long the pause is; one that exits with its output still queued loses that output as soon
 * as it exits within the pause (it takes well under a second to read this trail).
 */
const READER_PAUSE_MS = 3000;

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI with stdout a pipe that nobody reads until the command exits or the pause is over. (A
 * 'readable' listener keeps the stream paused: without one, Node drains a child's pipes when it exits.)
 */
async function runWithSlowReader(args: readonly string[]): Promise<Finished> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let reading = false;
  const read = (): void => {
    for (let chunk: Buffer | null; reading && (chunk = child.stdout.read() as Buffer | null) !== null; ) stdout += chunk.toString('utf8');
  };
  child.stdout.on('readable', read);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const ended = once(child.stdout, 'end');
  let pause: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (pause = setTimeout(resolve, READER_PAUSE_MS)))]);
  clearTimeout(pause);
  reading = true;
  read();
  const [[code, signal]] = await Promise.all([exited, ended]);
  return { code, signal, stdout, stderr };
}

/** Runs the built CLI with stdout the given file descriptor. */
async function runWithStdout(args: readonly string[], stdoutFd: number): Promise<Finished> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', stdoutFd, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout: '', stderr };
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('CLI commands write everything they read, whatever stdout is, or fail loudly', () => {
  let dataDir = '';

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build first (npm run build)`);
    dataDir = await mkdtemp(join(tmpdir(), 'strongroom-cli-output-'));
    const server = await startTestServer({ audit: true, dataDir });
    const kms = server.kms();
    let sent = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (sent < RECORDS) {
        sent += 1;
        await kms.send(new ListKeysCommand({}));
      }
    }));
    // Stopping the node seals and indexes its trail; the data directory (named by us) stays for the CLI.
    await server.stop();
  });

  after(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('audit export into a slowly read pipe writes every record', async () => {
    const result = await runWithSlowReader(['audit', 'export', '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    const records = lines(result.stdout);
    assert.equal(records.length, RECORDS);
    for (const record of records) JSON.parse(record);
  });

  test('audit query and tail into a slowly read pipe write every record they select', async () => {
    const query = await runWithSlowReader(['audit', 'query', '--data-dir', dataDir, '--limit', String(RECORDS)]);
    assert.equal(query.code, 0, query.stderr);
    assert.equal(lines(query.stdout).length, RECORDS);
    const tail = await runWithSlowReader(['audit', 'tail', '--data-dir', dataDir, '-n', String(RECORDS)]);
    assert.equal(tail.code, 0, tail.stderr);
    assert.equal(lines(tail.stdout).length, RECORDS);
  });

  test('audit verify into a slowly read pipe writes its whole report', async () => {
    const result = await runWithSlowReader(['audit', 'verify', '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /audit trail verified\n$/);
  });

  test('a reader that goes away stops the export quietly with a non-zero exit (as EPIPE stops other tools)', async () => {
    const child = spawn(process.execPath, [CLI, 'audit', 'export', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await once(child.stdout, 'data'); // like `| head -n 1`: read a little, then close the pipe
    child.stdout.destroy();
    const [code, signal] = await exited;
    assert.equal(signal, null);
    assert.notEqual(code, 0);
    assert.equal(stderr, '', 'no message, no stack trace');
  });

  test('an export whose output cannot be written fails loudly: non-zero exit and a message on stderr', async (t) => {
    if (!existsSync('/dev/full')) return t.skip('no /dev/full on this system');
    const full = openSync('/dev/full', 'w');
    try {
      const result = await runWithStdout(['audit', 'export', '--data-dir', dataDir], full);
      assert.equal(result.signal, null);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^strongroom: cannot write the output: .*ENOSPC/m);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'a message, not a stack trace');
    } finally {
      closeSync(full);
    }
  });
});
