/**
 * The audit trail's group commit on its own: appends/s with one transaction per event (each append awaited
 * alone) beside group commit with 8 and 64 appends in flight, on the machine's real fsync.
 * Run: npm run build && node dist/bench/audit-group-commit.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiCallEvent, createAuditSigningKey, openAuditLog } from '../src/audit/index.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-bench-'));
const { privateKey } = createAuditSigningKey();

/** An Encrypt-like record, as the server writes one per request. */
const event = (n: number) => apiCallEvent({
  operation: 'Encrypt', readOnly: true, time: Date.now(), region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'aws-sdk-js/3',
  requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
  identity: {
    type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333',
    accessKeyId: 'AKIAEXAMPLE', userName: 'alice',
  },
  input: { KeyId: 'alias/app', EncryptionContext: { tenant: 'acme' } }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
});

async function run(label: string, total: number, inFlight: number): Promise<void> {
  let commits = 0;
  const log = openAuditLog({
    path: join(dir, `${label}.db`), signingKey: privateKey, now: Date.now, writerId: label, onCommit: () => { commits += 1; },
  });
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < total) await log.append(event(next++));
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await log.close();
  console.log(`${label.padEnd(28)}${Math.round(total / seconds).toLocaleString('en-US').padStart(10)} appends/s` +
    `  ${(total / commits).toFixed(1)} events/transaction`);
}

try {
  await run('one transaction per event', 3000, 1);
  await run('group commit, 8 in flight', 10000, 8);
  await run('group commit, 64 in flight', 30000, 64);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
