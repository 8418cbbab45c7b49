import { Worker } from 'node:worker_threads';
import type { ChainCheck } from './chain-watch.js';
import type { IndexerReply, IndexerRequest, IndexerWorkerData, IndexScope } from './indexer-worker.js';

export type { IndexScope } from './indexer-worker.js';
export type { ChainBreak, ChainCheck } from './chain-watch.js';

/** Verify the trail as it is indexed (chain-watch.ts, on the indexing thread), and hear what each check found. */
export interface ChainWatchSettings {
  /** SPKI PEM of the audit signing key. */
  readonly publicKeyPem: string;
  /** Called on this thread with each check's result, before the run that made it resolves. */
  readonly onCheck: (check: ChainCheck) => void;
}

/** An indexing failure as the thread reported it (the code is SQLite's, e.g. `SQLITE_BUSY`). */
export class IndexingError extends Error {
  readonly code: string | undefined;

  constructor(name: string, message: string, code: string | undefined) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/**
 * Copies the audit journals into `audit.db` on a thread of its own (indexer-worker.ts). Indexing costs tens of
 * µs per record; on the event loop, a backlog of 50,000 records stalled every request of the process for
 * seconds (measured: a worst request of 3.3–3.5 s in a 30-second run). On its thread it takes CPU, never the
 * loop, and may wait for another process's lock as long as `busyTimeoutMs`.
 *
 * Runs do not overlap: an `index()` while one runs is served by the next run, shared by everyone who asked
 * meanwhile (a run already under way may have started reading before their records were written); that run indexes
 * every journal when any of them asked for every journal.
 *
 * @example
 *   const indexer = new BackgroundIndexer({ path, busyTimeoutMs: 5000 }, { chainWatch: { publicKeyPem, onCheck } });
 *   const records = await indexer.index(); // every journal's acknowledged records are now in audit.db
 *   await indexer.close();
 */
export class BackgroundIndexer {
  readonly #data: IndexerWorkerData;
  readonly #onCheck: ((check: ChainCheck) => void) | undefined;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #waiting = new Map<number, { resolve: (records: number) => void; reject: (error: Error) => void }>();
  /** The run under way (settled once it ended). */
  #running: Promise<number> = Promise.resolve(0);
  /** The next run, not yet started: whoever asks now shares it. */
  #queued: Promise<number> | undefined;
  /** What the next run indexes: the widest scope asked for. */
  #queuedScope: IndexScope = 'own-journal';
  #closed = false;

  constructor(data: IndexerWorkerData, options: { readonly chainWatch?: ChainWatchSettings } = {}) {
    const chainWatch = options.chainWatch;
    this.#data = chainWatch === undefined ? data : { ...data, publicKeyPem: chainWatch.publicKeyPem };
    this.#onCheck = chainWatch?.onCheck;
  }

  /**
   * Resolves with the number of records imported once every journal (or, with `own-journal`, this process's own),
   * as it is now, is in the database.
   */
  index(scope: IndexScope = 'every-journal'): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the audit indexer is closed'));
    if (this.#queued === undefined) {
      this.#queuedScope = scope;
      this.#queued = this.#running.catch(() => 0).then(() => {
        this.#queued = undefined;
        this.#running = this.#run(this.#queuedScope);
        return this.#running;
      });
    } else if (scope === 'every-journal') {
      this.#queuedScope = scope;
    }
    return this.#queued;
  }

  /** Waits for the runs asked for, then closes the thread's connection and ends it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await (this.#queued ?? this.#running).catch(() => 0);
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage({ close: true } satisfies IndexerRequest);
    await exited;
  }

  #run(scope: IndexScope): Promise<number> {
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.ref(); // an awaited run keeps the process alive; an idle thread does not
      worker.postMessage({ id, scope } satisfies IndexerRequest);
    });
  }

  #start(): Worker {
    const worker = startIndexerThread(this.#data);
    worker.on('message', (reply: IndexerReply) => {
      const waiting = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (this.#waiting.size === 0) worker.unref();
      if ('error' in reply) {
        waiting?.reject(new IndexingError(reply.error.name, reply.error.message, reply.error.code));
        return;
      }
      try {
        if (reply.chain !== undefined) this.#onCheck?.(reply.chain);
      } finally {
        waiting?.resolve(reply.records);
      }
    });
    // A thread that failed (or could not start) fails what it was asked; the next run starts a new one.
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const waiting of this.#waiting.values()) waiting.reject(error);
      this.#waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the audit indexer thread exited (code ${code})`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }
}

/**
 * Starts indexer-worker.js, beside this module. Run from source (the tests, through tsx), the thread registers
 * tsx before it loads indexer-worker.ts: a worker does not inherit the loader hooks of the thread that started it.
 */
function startIndexerThread(data: IndexerWorkerData): Worker {
  // The thread's stdout and stderr are its own streams (it prints nothing): inherited, Node would pipe them into
  // this process's, which opens process.stdout and sets fd 1 non-blocking for every process sharing it, and the
  // `--audit-stream -` sink's synchronous writes then fail with EAGAIN whenever its reader falls behind.
  const options = { workerData: data, stdout: true, stderr: true };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./indexer-worker.js', import.meta.url), options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./indexer-worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((api) => { api.register(); return import(${entry}); })`, { ...options, eval: true });
}
