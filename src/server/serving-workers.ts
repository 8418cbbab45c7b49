import cluster, { type Worker } from 'node:cluster';
import { SecretBytes } from '../crypto/secret-bytes.js';
import type { Logger } from '../observability/logger.js';

/** What a worker tells its primary. */
export type WorkerMessage =
  | { type: 'loaded' }
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string };

/**
 * The one message a primary sends a worker as it starts: open the node now (the primary's set-up is done), with
 * the typed passphrase of the root of trust, if any (never through the environment or the command line).
 */
interface OpenOrder {
  readonly type: 'open';
  readonly passphrase?: string;
}

/** The serving processes of a primary, forked before it set up the node (`forkServingWorkers`). */
export interface ServingWorkers {
  /**
   * Tells every worker (and every one that later replaces a worker that died) to open its node and listen, once
   * the primary's set-up (data directory, root of trust, schema, administrator, seed) is done. `passphrase`: the
   * root of trust's, when it was typed; `log` hears of workers replaced. Resolves once all of them listen; rejects
   * with the first worker's failure, after stopping the others.
   */
  open(options: { readonly passphrase: SecretBytes | undefined; readonly log: Logger }): Promise<{ port: number; stop(): Promise<void> }>;
  /** Stops the workers and waits for them to exit: the primary's set-up failed (they opened nothing). */
  abort(): Promise<void>;
}

/**
 * Forks `count` serving workers now, before the primary loads the server's code and sets up the node: each
 * spends about as long starting Node and loading the bundle as the primary does, so they do it at the same time
 * instead of one after the other. A worker then says it is loaded and waits for the primary's order to open
 * (`openOrderFromPrimary`): nothing of the data directory is touched before the primary's set-up is done.
 *
 * @example
 *   const workers = forkServingWorkers(2);
 *   // ... the primary opens its node, creates the administrator, applies the seed ...
 *   const { port, stop } = await workers.open({ passphrase: undefined, log });
 */
export function forkServingWorkers(count: number): ServingWorkers {
  // The primary accepts connections and deals them out in turn. Clients keep connections alive, so this costs
  // once per connection; letting workers accept themselves (SCHED_NONE) left one worker with most of them.
  // Set before the first fork: the policy is fixed then.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  let order: OpenOrder | undefined;
  let stopping = false;
  /** Workers loaded and waiting for the order. */
  const waiting = new Set<Worker>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: WorkerMessage) => {
      if (message.type !== 'loaded') return;
      if (order === undefined) waiting.add(worker);
      else worker.send(order);
    });
    return worker;
  };
  const started = startingWorkers(Array.from({ length: count }, fork));
  started.catch(() => undefined); // surfaced by open(); the primary may still be setting up when a worker dies
  const stopAll = async () => {
    stopping = true;
    const exits = Object.values(cluster.workers ?? {}).map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (!worker || worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  };
  return {
    async open({ passphrase, log }) {
      order = { type: 'open', ...(passphrase !== undefined ? { passphrase: passphrase.expose().toString('base64') } : {}) };
      for (const worker of waiting) worker.send(order);
      waiting.clear();
      let port: number;
      try {
        port = await started;
      } catch (error) {
        await stopAll();
        throw error;
      }
      cluster.on('exit', (worker, code) => {
        if (stopping) return;
        log.error('worker-exited', { pid: worker.process.pid, code, message: `worker ${worker.process.pid} exited with ${code}; starting another` });
        fork();
      });
      return { port, stop: stopAll };
    },
    abort: stopAll,
  };
}

/** Resolves with the port once every worker listens; rejects with the first failure, or the first exit meanwhile. */
function startingWorkers(workers: readonly Worker[]): Promise<number> {
  let exitedWhileStarting: ((worker: Worker, code: number, signal: string) => void) | undefined;
  return new Promise<number>((resolve, reject) => {
    let listening = 0;
    for (const worker of workers) {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'failed') reject(new Error(message.message));
        // Only the ready messages count: a worker that already serves also sends quota lease requests.
        else if (message.type === 'listening' && ++listening === workers.length) resolve(message.port);
      });
    }
    // A worker that dies before it can say why (a crash, the OOM killer) fails the start instead of hanging it.
    exitedWhileStarting = (worker, code, signal) => reject(new Error(`worker ${worker.process.pid} exited with ${code ?? signal} while starting`));
    cluster.on('exit', exitedWhileStarting);
  }).finally(() => cluster.off('exit', exitedWhileStarting!));
}

/**
 * In a worker: tells the primary its code is loaded, then waits for the order to open (sent once the primary's
 * set-up is done). Resolves with the typed passphrase the order carries, if any; with `undefined` when the process
 * is told to stop first (the primary's set-up failed, or a signal came), having opened nothing.
 * Asks rather than waits unasked: a message sent before this process listens for it would be lost.
 */
export async function openOrderFromPrimary(stopRequested: Promise<void>): Promise<{ passphrase?: SecretBytes } | undefined> {
  let onMessage: ((message: Partial<OpenOrder> | null) => void) | undefined;
  const order = new Promise<OpenOrder>((resolve) => {
    onMessage = (message) => {
      if (message?.type === 'open') resolve(message as OpenOrder);
    };
    process.on('message', onMessage);
  });
  process.send?.({ type: 'loaded' } satisfies WorkerMessage);
  try {
    const received = await Promise.race([order, stopRequested.then(() => undefined)]);
    if (received === undefined) return undefined;
    return received.passphrase === undefined ? {} : { passphrase: SecretBytes.adopt(Buffer.from(received.passphrase, 'base64')) };
  } finally {
    process.off('message', onMessage!);
  }
}
