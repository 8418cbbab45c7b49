import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyPlan } from '../../audit/index.js';
import { auditPublicKey, auditPublicKeyOfDatabase } from './audit-public-key.js';
import { readRootOfTrustConfig, ROOT_OF_TRUST_OPTIONS } from '../../server/root-of-trust/root-of-trust-config.js';
import { EXPORT_START, exportPagePlan, queryAuditEventsPlan, type AuditFilter, type ExportCursor } from './audit-query.js';
import { openAuditSource, type AuditLocation, type AuditSource } from './audit-source.js';

export const AUDIT_USAGE = `Usage: strongroom audit <command> [--data-dir DIR | --database-url URL] [options]

Commands (records are printed as JSON Lines, exactly as stored):
  tail        The newest records.          -n N (default 10), --follow
  query       Records matching filters.    --key ARN|ID --user NAME --event-name NAME --access-key-id ID
                                           --account ID --errors --since TIME --until TIME --limit N (default 100)
  export      Every record, oldest first.  --since TIME --until TIME --out FILE (mode 0600; default stdout)
  verify      Check the hash chains and signed digests; name every altered, removed or inserted record.
              --public-key FILE (default: the signing key kept wrapped in the data directory or database)
  public-key  Print the audit public key (SPKI PEM) for independent verification.
Where: --data-dir DIR (STRONGROOM_DATA_DIR, default ./data), or --database-url URL (STRONGROOM_DATABASE_URL), the
PostgreSQL database several nodes share; there, verify and public-key without --public-key also need
--root-key-file PATH (STRONGROOM_ROOT_KEY_FILE). Every node's records are read. A store whose root of trust is a
passphrase or a PKCS#11 token is opened with the same --root-of-trust options as 'serve' (docs/roots-of-trust.md).
TIME is ISO-8601 (2025-05-20T20:46:16Z) or epoch milliseconds.
`;

const OPTIONS = {
  'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, 'root-key-file': { type: 'string' },
  ...ROOT_OF_TRUST_OPTIONS,
  n: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' },
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

/** How often `tail --follow` looks for new records. */
const FOLLOW_INTERVAL_MS = 1000;

/**
 * `strongroom audit ...`: reads `<data-dir>/audit.db` after importing the journals beside it (a running server
 * keeps writing meanwhile), or the audit tables of the PostgreSQL database at `--database-url` (every node's
 * records). Resolves with the exit code: 0, or 1 when `verify` finds a problem.
 *
 * @example
 *   const output = commandOutput(process.stdout);
 *   await runAuditCommand(['verify', '--data-dir', '/var/lib/strongroom'], output.print);
 *   await output.flush();
 */
export async function runAuditCommand(args: readonly string[], print: Print): Promise<number> {
  const [command, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
  const databaseUrl = values['database-url'] ?? nonEmpty(process.env['STRONGROOM_DATABASE_URL']);
  const location: AuditLocation = databaseUrl !== undefined
    ? { databaseUrl }
    : { dataDir: resolve(values['data-dir'] ?? process.env['STRONGROOM_DATA_DIR'] ?? 'data') };
  const rootOfTrust = readRootOfTrustConfig(values, process.env);
  const publicKey = () => 'databaseUrl' in location
    ? auditPublicKeyOfDatabase(location.databaseUrl, values['root-key-file'] ?? nonEmpty(process.env['STRONGROOM_ROOT_KEY_FILE']), values['public-key'], rootOfTrust)
    : auditPublicKey(location.dataDir, values['public-key'], rootOfTrust);
  switch (command) {
    case 'public-key':
      await print(await publicKey());
      return 0;
    case 'verify': {
      const pem = await publicKey();
      return withSource(location, (source) => verify(source, pem, print));
    }
    case 'tail':
      return withSource(location, (source) => tail(source, count(values.n, 10), values.follow === true, print));
    case 'query':
      return withSource(location, async (source) => {
        for (const event of await source.run(queryAuditEventsPlan(filterOf(values), count(values.limit, 100)))) await print(`${event.json}\n`);
        return 0;
      });
    case 'export':
      return withSource(location, (source) => exportEvents(source, filterOf(values), values.out, print));
    default:
      await print(AUDIT_USAGE);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

async function withSource(location: AuditLocation, use: (source: AuditSource) => Promise<number>): Promise<number> {
  const source = await openAuditSource(location);
  try {
    await source.refresh();
    return await use(source);
  } finally {
    await source.close();
  }
}

async function verify(source: AuditSource, publicKey: string, print: Print): Promise<number> {
  const report = await source.run(verifyPlan(publicKey));
  for (const writer of report.writers) {
    await print(`writer ${writer.writer}: ${writer.records} records, sealed through ${writer.sealedThrough}\n`);
  }
  for (const problem of report.problems) await print(`${problem.kind} ${problem.writer} #${problem.seq}: ${problem.detail}\n`);
  await print(report.ok ? 'audit trail verified\n' : 'AUDIT TRAIL FAILED VERIFICATION\n');
  return report.ok ? 0 : 1;
}

/**
 * How far back each `--follow` poll looks, in polls. On PostgreSQL, ids are handed out when a node's batch is
 * inserted, not when it commits: a batch of another node may commit a moment after a later id was printed. Every
 * batch commits or fails within the pool's statement timeout (5 s), so a poll looks again at the ids above
 * the last one printed 10 polls ago, and skips those already printed.
 */
const FOLLOW_LOOKBACK_POLLS = 10;

async function tail(source: AuditSource, n: number, follow: boolean, print: Print): Promise<number> {
  const printed = new Set<number>();
  const printNew = async (events: readonly { id: number; json: string }[]) => {
    for (const event of events) {
      if (printed.has(event.id)) continue;
      printed.add(event.id);
      await print(`${event.json}\n`);
    }
  };
  const initial = await source.run(queryAuditEventsPlan({}, n));
  await printNew(initial);
  /** The highest id printed at each of the last polls, oldest first. */
  const marks = [initial.reduce((highest, event) => Math.max(highest, event.id), 0)];
  while (follow) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
    await source.refresh();
    const afterId = marks[0] ?? 0;
    await printNew(await source.run(queryAuditEventsPlan({ afterId })));
    let highest = afterId;
    for (const id of printed) highest = Math.max(highest, id);
    marks.push(highest);
    if (marks.length > FOLLOW_LOOKBACK_POLLS) marks.shift();
    for (const id of printed) if (id <= (marks[0] ?? 0)) printed.delete(id);
  }
  return 0;
}

async function exportEvents(source: AuditSource, filter: AuditFilter, out: string | undefined, print: Print): Promise<number> {
  const fd = out === undefined ? undefined : openSync(out, 'w', 0o600);
  try {
    // Each page is read whole before it is printed, so waiting for the reader holds no statement open.
    for (let cursor: ExportCursor | undefined = EXPORT_START; cursor !== undefined;) {
      const page: { events: { json: string }[]; next?: ExportCursor } = await source.run(exportPagePlan(filter, cursor));
      for (const event of page.events) {
        if (fd === undefined) await print(`${event.json}\n`);
        else writeSync(fd, `${event.json}\n`);
      }
      cursor = page.next;
    }
    if (fd !== undefined) fsyncSync(fd);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return 0;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
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
