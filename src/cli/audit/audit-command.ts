import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importAuditJournals, openAuditDatabase, verifyAuditTrail, type AuditDatabase } from '../../audit/index.js';
import { dataDirectoryLayout } from '../../server/data-directory.js';
import { auditPublicKey } from './audit-public-key.js';
import { iterateAuditEvents, queryAuditEvents, type AuditFilter } from './audit-query.js';

export const AUDIT_USAGE = `Usage: strongroom audit <command> [--data-dir DIR] [options]

Commands (records are printed as JSON Lines, exactly as stored):
  tail        The newest records.          -n N (default 10), --follow
  query       Records matching filters.    --key ARN|ID --user NAME --event-name NAME --access-key-id ID
                                           --account ID --errors --since TIME --until TIME --limit N (default 100)
  export      Every record, oldest first.  --since TIME --until TIME --out FILE (mode 0600; default stdout)
  verify      Check the hash chains and signed digests; name every altered, removed or inserted record.
              --public-key FILE (default: the signing key kept wrapped in the data directory)
  public-key  Print the audit public key (SPKI PEM) for independent verification.
TIME is ISO-8601 (2025-05-20T20:46:16Z) or epoch milliseconds.
`;

const OPTIONS = {
  'data-dir': { type: 'string' }, n: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' },
  key: { type: 'string' }, user: { type: 'string' }, 'event-name': { type: 'string' }, 'access-key-id': { type: 'string' },
  account: { type: 'string' }, errors: { type: 'boolean' }, since: { type: 'string' }, until: { type: 'string' },
  limit: { type: 'string' }, out: { type: 'string' }, 'public-key': { type: 'string' },
} as const;

/**
 * Where a command prints. Every record read is printed, so a printer that returns a promise is awaited before
 * the next line: a slow reader holds the command back instead of its output piling up in memory (and a
 * failed write stops it).
 */
export type Print = (text: string) => void | Promise<void>;

/**
 * `strongroom audit ...`: reads `<data-dir>/audit.db` after importing the journals beside it (a running server
 * keeps writing meanwhile).
 * Resolves with the exit code: 0, or 1 when `verify` finds a problem.
 *
 * @example
 *   const output = commandOutput(process.stdout);
 *   await runAuditCommand(['verify', '--data-dir', '/var/lib/strongroom'], output.print);
 *   await output.flush();
 */
export async function runAuditCommand(args: readonly string[], print: Print): Promise<number> {
  const [command, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
  const dataDir = resolve(values['data-dir'] ?? process.env['STRONGROOM_DATA_DIR'] ?? 'data');
  const path = dataDirectoryLayout(dataDir).auditDatabase;
  if (command === 'verify' || command === 'tail' || command === 'query' || command === 'export') importJournals(path);
  switch (command) {
    case 'public-key':
      await print(await auditPublicKey(dataDir, values['public-key']));
      return 0;
    case 'verify':
      return verify(path, await auditPublicKey(dataDir, values['public-key']), print);
    case 'tail':
      return withDatabase(path, (db) => tail(db, count(values.n, 10), values.follow === true, print));
    case 'query':
      return withDatabase(path, async (db) => {
        for (const event of queryAuditEvents(db, filterOf(values), count(values.limit, 100))) await print(`${event.json}\n`);
        return 0;
      });
    case 'export':
      return withDatabase(path, (db) => exportEvents(db, filterOf(values), values.out, print));
    default:
      await print(AUDIT_USAGE);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

/**
 * Brings every process's journal into `audit.db` first, so that what is read is every acknowledged record
 * (a running server indexes its journal only when idle). Without write access, reads what is indexed.
 */
function importJournals(path: string): void {
  if (!existsSync(path)) return;
  try {
    importAuditJournals(path);
  } catch (error) {
    process.stderr.write(`warning: journaled records not indexed yet are not included (${(error as Error).message})\n`);
  }
}

async function verify(path: string, publicKey: string, print: Print): Promise<number> {
  const report = verifyAuditTrail(path, publicKey);
  for (const writer of report.writers) {
    await print(`writer ${writer.writer}: ${writer.records} records, sealed through ${writer.sealedThrough}\n`);
  }
  for (const problem of report.problems) await print(`${problem.kind} ${problem.writer} #${problem.seq}: ${problem.detail}\n`);
  await print(report.ok ? 'audit trail verified\n' : 'AUDIT TRAIL FAILED VERIFICATION\n');
  return report.ok ? 0 : 1;
}

async function tail(db: AuditDatabase, n: number, follow: boolean, print: Print): Promise<number> {
  let lastId = 0;
  for (const event of queryAuditEvents(db, {}, n)) {
    await print(`${event.json}\n`);
    lastId = Math.max(lastId, event.id);
  }
  while (follow) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    importJournals(db.name);
    for (const event of queryAuditEvents(db, { afterId: lastId })) {
      await print(`${event.json}\n`);
      lastId = Math.max(lastId, event.id);
    }
  }
  return 0;
}

async function exportEvents(db: AuditDatabase, filter: AuditFilter, out: string | undefined, print: Print): Promise<number> {
  if (out === undefined) {
    // Each page is read whole before it is printed, so waiting for the reader holds no statement open.
    for (const event of iterateAuditEvents(db, filter)) await print(`${event.json}\n`);
    return 0;
  }
  const fd = openSync(out, 'w', 0o600);
  try {
    for (const event of iterateAuditEvents(db, filter)) writeSync(fd, `${event.json}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return 0;
}

async function withDatabase(path: string, use: (db: AuditDatabase) => Promise<number>): Promise<number> {
  const db = openAuditDatabase(path, { readonly: true });
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

function filterOf(values: { [name: string]: string | boolean | undefined }): AuditFilter {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const entries: [keyof AuditFilter, unknown][] = [
    ['key', text('key')], ['user', text('user')], ['eventName', text('event-name')], ['accessKeyId', text('access-key-id')],
    ['account', text('account')], ['errorsOnly', values['errors'] === true ? true : undefined],
    ['since', timeOf(text('since'))], ['until', timeOf(text('until'))],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as AuditFilter;
}

function timeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(time)) throw new Error(`invalid time: ${value} (ISO-8601 or epoch milliseconds)`);
  return time;
}

function count(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid count: ${value}`);
  return n;
}
