import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import { AuditWriteError, openAuditLog, type AuditLogOptions } from '../../src/audit/audit-log.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { journalDirectoryOf, listJournalFiles } from '../../src/audit/journal.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { startServerProcess } from '../support/server-process.js';

/*
 * Issue #20, "Disk full": a failed move to a new journal file must leave nothing behind, a start must clean up
 * what a crash left, and a start on a volume too small for a journal file must refuse, saying how much it needs.
 * The full-disk cases run on a real small filesystem (a tmpfs mounted for the test, which needs root: CI runs as
 * root; elsewhere they skip, saying so); the error-part-way case runs anywhere, under a file size limit.
 */
const dir = mkdtempSync(join(tmpdir(), 'strongroom-disk-full-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = createAuditSigningKey();
const KIB = 1024;

function event(n: number) {
  return apiCallEvent({
    operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n * 1000, region: 'us-east-1', sourceIp: '127.0.0.1',
    userAgent: 'test', requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
    identity: { type: 'IAMUser', accountId: '111122223333', accessKeyId: 'AKIA1', userName: 'alice' },
    input: { KeyId: 'k', EncryptionContext: { purpose: 'x'.repeat(900) } }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
  });
}

function openLog(path: string, extra: Partial<AuditLogOptions> = {}) {
  return openAuditLog({ path, signingKey: privateKey, now: Date.now, writerId: 'writer-a', ...extra });
}

/**
 * A tmpfs of `bytes` mounted for the test (unmounted after it), or undefined when mounting is not permitted here
 * (the test has then been marked skipped, with the reason).
 */
function smallVolume(t: TestContext, bytes: number): string | undefined {
  const mountPoint = mkdtempSync(join(dir, 'volume-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    t.skip(`mounting a ${bytes}-byte tmpfs is not permitted here (${(mounted.stderr || String(mounted.error)).trim()})`);
    return undefined;
  }
  // Lazily when a failing test left a file open on it: it is never left mounted.
  t.after(() => {
    if (spawnSync('umount', [mountPoint]).status !== 0) spawnSync('umount', ['-l', mountPoint]);
  });
  return mountPoint;
}

/** Fills the volume until `leave` bytes are free (or fewer: tmpfs counts in pages). */
function fillUntil(directory: string, leave: number): string {
  const path = join(directory, 'filler');
  const fd = openSync(path, 'w');
  try {
    const chunk = Buffer.alloc(4 * KIB, 1);
    for (;;) {
      const free = spawnSync('stat', ['-f', '-c', '%a %S', directory], { encoding: 'utf8' }).stdout.trim().split(' ').map(Number);
      if (free[0]! * free[1]! <= leave) return path;
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}

void describe('disk full: journal files', () => {
  void test('a journal file that fails part-way (a file size limit while zeroing) is removed before the error', async () => {
    const directory = join(dir, 'size-limit');
    mkdirSync(directory);
    const journalModule = join(PROJECT_ROOT, 'src/audit/journal.ts');
    // 256 KiB is the most the child may write to a file; the journal files want 1 MiB each. Node ignores
    // SIGXFSZ, so the write past the limit fails with EFBIG, part-way through the zeros.
    const script = `
      import { createJournalFile, prepareJournalFile } from ${JSON.stringify(journalModule)};
      const outcome = (f) => { try { const r = f(); return r instanceof Promise ? r.then(() => 'made', (e) => e.message) : 'made'; } catch (e) { return e.message; } };
      const sync = outcome(() => createJournalFile(${JSON.stringify(directory)}, 'w', 0, 1024 * 1024));
      const threadPool = await outcome(() => prepareJournalFile(${JSON.stringify(directory)}, 'w', 1, 1024 * 1024));
      console.log(JSON.stringify({ sync, threadPool }));`;
    const child = spawn('bash', ['-c', `ulimit -f 256 && exec "${process.execPath}" --import tsx --input-type=module -e "$SCRIPT"`], {
      cwd: PROJECT_ROOT, env: { ...process.env, SCRIPT: script }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, err);
    const result = JSON.parse(out) as { sync: string; threadPool: string };
    assert.match(result.sync, /^the audit journal needs 1\.0 MiB free in .*size-limit; .* available$/);
    assert.match(result.threadPool, /^the audit journal needs 1\.0 MiB free in .*size-limit; .* available$/);
    assert.deepEqual(readdirSync(directory), [], 'neither attempt left its file');
  });

  void test('at open, a journal file that never got its header is removed once it is old; a fresh one is left', async () => {
    const path = join(dir, 'headerless.db');
    const journals = journalDirectoryOf(path);
    mkdirSync(journals, { recursive: true });
    const old = join(journals, 'crashed-writer.000003.log');
    const torn = join(journals, 'crashed-writer.000004.log');
    const fresh = join(journals, 'starting-writer.000000.log');
    writeFileSync(old, '');
    writeFileSync(torn, Buffer.concat([Buffer.from('{"writer":"crashed-wr'), Buffer.alloc(4 * KIB)]));
    writeFileSync(fresh, '');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, anHourAgo, anHourAgo);
    utimesSync(torn, anHourAgo, anHourAgo);
    const log = openLog(path);
    assert.equal(existsSync(old), false, 'a zero-length file is removed');
    assert.equal(existsSync(torn), false, 'a file whose header was cut short is removed');
    assert.equal(existsSync(fresh), true, 'a file another process created an instant ago is left to it');
    await log.close();
  });

  void test('at open, the empty journal file (header only) of an ended process is removed', async () => {
    const path = join(dir, 'header-only.db');
    const ended = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(ended.stdout.trim());
    const journals = journalDirectoryOf(path);
    mkdirSync(journals, { recursive: true });
    const empty = join(journals, 'ended-writer.000001.log');
    writeFileSync(empty, Buffer.concat([Buffer.from(`${JSON.stringify({ writer: 'ended-writer', host: hostname(), pid })}\n`), Buffer.alloc(KIB)]));
    const log = openLog(path);
    assert.equal(existsSync(empty), false);
    await log.close();
  });
});

void describe('disk full: a real small volume', () => {
  void test('a start on a volume too small for a journal file refuses, says how much it needs, and leaves no journal', async (t) => {
    const volume = smallVolume(t, 4 * 1024 * KIB);
    if (volume === undefined) return;
    const server = await startServerProcess(['--workers', '1'], join(volume, 'data'));
    const code = await server.stop();
    assert.equal(server.endpoint, '', 'it did not start');
    assert.notEqual(code, 0);
    assert.match(server.stderr(), /the audit journal needs 8\.0 MiB free in .*audit-journal; \d+\.\d (KiB|MiB) available/);
    assert.deepEqual(listJournalFiles(join(volume, 'data', 'audit-journal')), []);
  });

  void test('when the disk fills up, failed moves to a new journal file leave nothing; once space returns the log carries on', async (t) => {
    const volume = smallVolume(t, 2 * 1024 * KIB);
    if (volume === undefined) return;
    const path = join(volume, 'audit.db');
    const fileBytes = 128 * KIB;
    const log = openLog(path, { journalFileBytes: fileBytes, indexWhenIdleMs: 1e9 });
    t.after(() => log.close().catch(() => undefined));
    const filler = fillUntil(volume, fileBytes - 16 * KIB); // less than another journal file needs
    let acknowledged = 0;
    let failed = 0;
    for (let n = 0; n < 400 && failed < 50; n += 1) {
      try {
        await log.append(event(n));
        acknowledged += 1;
      } catch (error) {
        assert.ok(error instanceof AuditWriteError);
        assert.match(String((error.cause as Error).message), /the audit journal needs 128\.0 KiB free in /);
        failed += 1;
      }
    }
    assert.equal(failed, 50, 'the journal file filled up, and every move to a new one failed');
    assert.deepEqual(listJournalFiles(journalDirectoryOf(path)).length, 1, 'only the file in use: no failed attempt stayed');
    rmSync(filler);
    await log.append(event(1000));
    await log.close();
    assert.deepEqual(listJournalFiles(journalDirectoryOf(path)), []);
    const report = verifyAuditTrail(path, publicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.writers[0]?.records, acknowledged + 1, 'every acknowledged record, and none of the refused');
  });
});
