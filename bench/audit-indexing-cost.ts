/**
 * What indexing the audit journal costs per record (issue #19), on one thread, for journals written by two writers
 * (as two serving processes write them): each copied into a new `audit.db` (JournalImporter: read, parse, insert) and
 * verified as the indexing thread verifies what it indexed (ChainWatch), in two ways:
 * - every process indexes and checks every journal (before issue #19, each serving process's background index);
 * - each process indexes and checks its own journal (since; a reader still indexes every journal first), its check
 *   reading back what the import stored (before issue #19's later change), and checking each chunk inside the
 *   transaction that stored it, from the records as inserted (`importAndCheck`, what the indexing thread does now).
 * CPU time of this process (user + system), µs per record written.
 *
 * Run: npm run build && node dist/bench/audit-indexing-cost.js [records per writer, default 20000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiCallEvent, createAuditSigningKey, openAuditLog } from '../src/audit/index.js';
import { openAuditDatabase } from '../src/audit/audit-database.js';
import { ChainWatch, importAndCheck } from '../src/audit/chain-watch.js';
import { JournalImporter } from '../src/audit/journal-import.js';

const RECORDS = Number(process.argv[2] ?? 20_000);
const WRITERS = 2;
const dir = mkdtempSync(join(tmpdir(), 'strongroom-indexing-cost-'));
const { privateKey, publicKey } = createAuditSigningKey();

/** An Encrypt record as the server writes one per request (a root caller, one key). */
const event = (writer: number, n: number) => apiCallEvent({
  operation: 'Encrypt', readOnly: true, time: Date.now(), region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'node',
  requestId: `00000000-0000-4000-8000-${String(writer).padStart(2, '0')}${String(n).padStart(10, '0')}`,
  eventId: `10000000-0000-4000-8000-${String(writer).padStart(2, '0')}${String(n).padStart(10, '0')}`,
  recipientAccountId: '111122223333',
  identity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEEXAMPLE12' },
  input: { KeyId: '9bffee32-6d58-4b8c-9f69-e48aa3657142' }, output: null,
  keyArns: ['arn:aws:kms:us-east-1:111122223333:key/9bffee32-6d58-4b8c-9f69-e48aa3657142'],
});

/** CPU µs of `work`. */
function cpuOf(work: () => unknown): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/**
 * Two processes' indexing threads over the journals in `journals`, into a new database at `path`: CPU per step (with
 * `inTransaction`, import and check are one step, counted as the import).
 */
function indexAsTwoProcesses(path: string, journals: string, own: boolean, inTransaction = false): { imported: number; checked: number } {
  const processes = Array.from({ length: WRITERS }, (_, writer) => {
    const db = openAuditDatabase(path);
    const watch = new ChainWatch(db, publicKey);
    watch.check(); // the check at start, before any record is indexed
    return { db, writer: `writer-${writer}`, importer: new JournalImporter(db, { directory: journals }), watch };
  });
  let imported = 0;
  let checked = 0;
  for (const { importer, watch, writer } of processes) {
    if (inTransaction) {
      imported += cpuOf(() => importAndCheck(importer, watch, own ? writer : undefined));
      continue;
    }
    imported += cpuOf(() => importer.import(own ? { writer } : {}));
    checked += cpuOf(() => watch.check(own ? writer : undefined));
  }
  for (const { db } of processes) db.close();
  return { imported, checked };
}

try {
  const logs = Array.from({ length: WRITERS }, (_, writer) => openAuditLog({
    path: join(dir, 'writers.db'), signingKey: privateKey, now: Date.now, writerId: `writer-${writer}`, indexWhenIdleMs: 3_600_000,
    indexBacklog: 10_000_000, journalFileBytes: 64 * 1024 * 1024,
  }));
  for (let writer = 0; writer < WRITERS; writer++) {
    const log = logs[writer]!;
    let next = 0;
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < RECORDS) await log.append(event(writer, next++));
    }));
  }
  const total = RECORDS * WRITERS;
  const journals = join(dir, 'writers-journal');
  console.log(`indexing ${total.toLocaleString('en-US')} records of ${WRITERS} writers by ${WRITERS} processes, µs of CPU per record:`);
  const ways = [['every process, every journal', false, false], ['each its own, check reads back', true, false],
    ['each its own, checked as stored', true, true]] as const;
  for (const [name, own, inTransaction] of ways) {
    const { imported, checked } = indexAsTwoProcesses(join(dir, `${name.replace(/\W/g, '')}.db`), journals, own, inTransaction);
    const split = inTransaction ? 'import and check in one'.padEnd(25) : `import ${(imported / total).toFixed(1).padStart(5)}  check ${(checked / total).toFixed(1).padStart(5)}`;
    console.log(`  ${name.padEnd(33)} ${split}  total ${((imported + checked) / total).toFixed(1).padStart(5)}`);
  }
  for (const log of logs) await log.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
