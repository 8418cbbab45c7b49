import { parentPort, workerData } from 'node:worker_threads';
import { checkpointLargeWal, openAuditDatabase, type AuditDatabase } from './audit-database.js';
import { ChainWatch, importAndCheck, type ChainCheck } from './chain-watch.js';
import { JournalImporter } from './journal-import.js';
import { loadAuditPublicKey } from './signing-key.js';

/**
 * The indexing thread's entry (started by BackgroundIndexer; other modules import only its types). It owns a
 * connection of its own to `audit.db` and imports the journals each time it is asked, so that neither the copy
 * (tens of µs per record) nor a wait for another process's lock ever runs on the event loop.
 *
 * After an import that left the WAL past its limit, it checkpoints and truncates the WAL (checkpointLargeWal).
 *
 * Messages in: `{ id, scope }` imports now (every journal, or only this process's own: IndexScope), `{ close: true }`
 * closes the connection and ends the thread.
 * Messages out: `{ id, records, chain? }`, or `{ id, error }` with the error's name, message and code only. With
 * a public key, each import checks what was stored since the last check, each chunk in the transaction that stores
 * it (chain-watch.ts, importAndCheck), whose result is `chain`: the breaks found, or the name of the error that
 * stopped the check (the import stands either way).
 */
export interface IndexerWorkerData {
  /** The audit database; its journals are the directory beside it. */
  readonly path: string;
  readonly busyTimeoutMs: number;
  /** SPKI PEM of the audit signing key: when given, the trail is verified as it is indexed. */
  readonly publicKeyPem?: string;
  /** The writer whose journal is this process's own (what an `own-journal` run indexes and checks). */
  readonly writer?: string;
}

/**
 * What one run indexes. `every-journal`: every writer's journal, and a check of every writer's new records — what a
 * reader needs before it reads, and seal. `own-journal`: this process's journal and a check of its own writer — the
 * background index (idle, backlog) and close, so that no two serving processes read, parse and verify every record
 * (issue #19: that doubled the cost of indexing) or wait on each other's write lock when they stop together.
 */
export type IndexScope = 'every-journal' | 'own-journal';

export type IndexerRequest = { readonly id: number; readonly scope: IndexScope } | { readonly close: true };

export type IndexerReply =
  | { readonly id: number; readonly records: number; readonly chain?: ChainCheck }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly code?: string } };

const port = parentPort;
if (port === null) throw new Error('indexer-worker.ts runs as a worker thread');
const { path, busyTimeoutMs, publicKeyPem, writer } = workerData as IndexerWorkerData;
/** Opened by the first request (opening may wait for the lock too, and fail like an import: it is retried). */
let opened: { db: AuditDatabase; importer: JournalImporter; watch: ChainWatch | undefined } | undefined;

function open(): { importer: JournalImporter; watch: ChainWatch | undefined } {
  if (opened === undefined) {
    const db = openAuditDatabase(path, { busyTimeoutMs });
    const watch = publicKeyPem === undefined ? undefined : new ChainWatch(db, loadAuditPublicKey(publicKeyPem));
    opened = { db, importer: new JournalImporter(db), watch };
  }
  return opened;
}

port.on('message', (request: IndexerRequest) => {
  if ('close' in request) {
    opened?.db.close();
    port.close();
    return;
  }
  let reply: IndexerReply;
  try {
    const { importer, watch } = open();
    reply = { id: request.id, ...importAndCheck(importer, watch, request.scope === 'own-journal' ? writer : undefined) };
  } catch (error) {
    const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
    reply = {
      id: request.id,
      error: {
        name: typeof name === 'string' ? name : 'Error',
        message: typeof message === 'string' ? message : 'indexing failed',
        ...(typeof code === 'string' ? { code } : {}),
      },
    };
  }
  port.postMessage(reply);
  // After the answer, so that no reader waits for it: a large import left a large WAL, which would otherwise
  // keep its disk space for good (and a backlog imported after a full disk could fill it again).
  if ('records' in reply && reply.records > 0 && opened !== undefined) {
    try {
      checkpointLargeWal(opened.db);
    } catch {
      // Busy or failing: the next import tries again, and SQLite's own checkpoints go on meanwhile.
    }
  }
});
