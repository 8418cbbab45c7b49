import { parentPort, workerData } from 'node:worker_threads';
import { openAuditDatabase, type AuditDatabase } from './audit-database.js';
import { JournalImporter } from './journal-import.js';

/**
 * The indexing thread's entry (started by BackgroundIndexer; other modules import only its types). It owns a
 * connection of its own to `audit.db` and imports the journals each time it is asked, so that neither the copy
 * (tens of µs per record) nor a wait for another process's lock ever runs on the event loop.
 *
 * Messages in: `{ id }` imports now, `{ close: true }` closes the connection and ends the thread.
 * Messages out: `{ id, records }`, or `{ id, error }` with the error's name, message and code only.
 */
export interface IndexerWorkerData {
  /** The audit database; its journals are the directory beside it. */
  readonly path: string;
  readonly busyTimeoutMs: number;
}

export type IndexerRequest = { readonly id: number } | { readonly close: true };

export type IndexerReply =
  | { readonly id: number; readonly records: number }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly code?: string } };

const port = parentPort;
if (port === null) throw new Error('indexer-worker.ts runs as a worker thread');
const { path, busyTimeoutMs } = workerData as IndexerWorkerData;
/** Opened by the first request (opening may wait for the lock too, and fail like an import: it is retried). */
let opened: { db: AuditDatabase; importer: JournalImporter } | undefined;

function importer(): JournalImporter {
  if (opened === undefined) {
    const db = openAuditDatabase(path, { busyTimeoutMs });
    opened = { db, importer: new JournalImporter(db) };
  }
  return opened.importer;
}

port.on('message', (request: IndexerRequest) => {
  if ('close' in request) {
    opened?.db.close();
    port.close();
    return;
  }
  let reply: IndexerReply;
  try {
    reply = { id: request.id, records: importer().import() };
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
});
