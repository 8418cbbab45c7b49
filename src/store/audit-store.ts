/**
 * The audit store: the second part of the storage layer (the key store, `store.ts`, is the first). It persists
 * what the audit trail (`src/audit`) has already chained and signed, and answers the trail's reads. It computes no
 * hash and signs nothing: the chain, the digests and the rules of verification stay in `src/audit`.
 *
 * WHERE A RECORD BECOMES DURABLE — `append` resolves only then, in each backend:
 * - embedded (SQLite, `src/audit/journal-audit-store.ts`): when the batch's lines are in the writer's journal file,
 *   written through an `O_DSYNC` descriptor (one write per batch). `audit.db` is an index of the journals, filled
 *   later on a thread of its own; every read first brings every journal into it (ADR 0007, 0009).
 * - PostgreSQL (`src/store/postgres/audit/postgres-audit-store.ts`): when the one statement that inserts the batch's
 *   records, their resource rows and its digest has committed (`synchronous_commit = on`: the commit record is
 *   flushed first). There is no index step: a committed record is readable by every node at once.
 *
 * A rejected `append` stored nothing that a reader will ever see, except where the backend's file says otherwise
 * (PostgreSQL: a commit whose acknowledgement was lost; the writer then re-reads its chain head, see
 * `GroupCommitOptions.resync`).
 *
 * Reads and retention are written once for both backends as SQL plans (below): generators that yield statements
 * with `?` placeholders and receive their rows. SQLite runs them synchronously on its connection; PostgreSQL on its
 * pool, turning `?` into `$n`. Both schemas have the same tables and columns (`audit_records`, `audit_resources`,
 * `audit_digests`, `audit_retention`), so the SQL is shared; what only one backend understands is written so the
 * other ignores it (`indexHint`). ADR 0017.
 */

/** A value a statement binds or returns: text, an integer, bytes, or NULL. */
export type SqlValue = string | number | Buffer | null;

/** One statement: SQL with `?` placeholders and its values. */
export interface SqlStatement {
  readonly sql: string;
  readonly values: readonly SqlValue[];
}

/** A plan run as one transaction: all its statements commit together, or none does. */
export interface TransactionStep {
  readonly transaction: SqlPlan<unknown>;
}

/** What a plan yields: a statement (its rows come back) or a transaction (its result comes back). */
export type SqlStep = SqlStatement | TransactionStep;

/**
 * An audit read or change written once for every backend: a generator that yields each step and receives its
 * result. Work between steps (hashing, verifying, writing an archive file) is ordinary code.
 *
 * @example
 *   function* countRecords(writer: string): SqlPlan<number> {
 *     const [row] = yield* rows<{ n: number }>('SELECT COUNT(*) AS n FROM audit_records WHERE writer = ?', writer);
 *     return row?.n ?? 0;
 *   }
 *   const n = await auditStore.run(countRecords('host-1-42-1700000000000'));
 */
export type SqlPlan<T> = Generator<SqlStep, T, unknown>;

/** The rows of one statement (none for a statement that returns none). */
export function* rows<R>(sql: string, ...values: SqlValue[]): Generator<SqlStep, R[], unknown> {
  return (yield { sql, values }) as R[];
}

/** The first row of one statement, if any. */
export function* firstRow<R>(sql: string, ...values: SqlValue[]): Generator<SqlStep, R | undefined, unknown> {
  const found = (yield { sql, values }) as R[];
  return found[0];
}

/** Runs `plan` as one transaction inside the enclosing plan, and returns its result. */
export function* inTransaction<T>(plan: SqlPlan<T>): Generator<SqlStep, T, unknown> {
  return (yield { transaction: plan }) as T;
}

/**
 * SQLite's `INDEXED BY <index>` for the table reference it follows, written as a comment: the SQLite runner turns
 * it into the clause; PostgreSQL, whose planner has statistics, reads a comment.
 */
export function indexHint(index: string): string {
  return ` /*+INDEXED BY ${index}*/`;
}

/** The `indexHint` comments of `sql`, for the SQLite runner. */
export const INDEX_HINT = /\/\*\+INDEXED BY (\w+)\*\//g;

/** Runs a plan step by step with a synchronous executor (SQLite). */
export function runPlanSync<T>(
  plan: SqlPlan<T>, execute: (statement: SqlStatement) => unknown[], transaction: <R>(body: () => R) => R,
): T {
  let step = plan.next();
  while (step.done !== true) {
    const current = step.value;
    step = 'transaction' in current
      ? plan.next(transaction(() => runPlanSync(current.transaction, execute, transaction)))
      : plan.next(execute(current));
  }
  return step.value;
}

/** Runs a plan step by step with an asynchronous executor (PostgreSQL). A failed step is thrown into the plan. */
export async function runPlan<T>(
  plan: SqlPlan<T>,
  execute: (statement: SqlStatement) => Promise<unknown[]>,
  transaction: <R>(body: (execute: (statement: SqlStatement) => Promise<unknown[]>) => Promise<R>) => Promise<R>,
): Promise<T> {
  let step = plan.next();
  while (step.done !== true) {
    const current = step.value;
    let result: unknown;
    try {
      result = 'transaction' in current
        ? await transaction((inner) => runPlan(current.transaction, inner, () => {
          throw new Error('transactions do not nest');
        }))
        : await execute(current);
    } catch (error) {
      step = plan.throw(error);
      continue;
    }
    step = plan.next(result);
  }
  return step.value;
}

/** The lookup columns of a record, derived from its event (LookupEvents' attributes). */
export interface AuditRecordColumns {
  readonly eventTime: number;
  readonly eventId: string;
  readonly eventName: string;
  readonly readOnly: 'true' | 'false';
  readonly username: string | null;
  readonly accessKeyId: string | null;
  readonly eventSource: string;
  readonly accountId: string;
  readonly errorCode: string | null;
  /** Each (type, name) once. */
  readonly resources: readonly { readonly type: string; readonly name: string }[];
}

/** A record as the trail chained it. */
export interface AuditRecordRow {
  readonly seq: number;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
  /** The event JSON exactly as hashed. */
  readonly json: string;
  /** Its lookup columns, computed only by a backend that stores them at append (the journal does not). */
  readonly columns: () => AuditRecordColumns;
}

/** A signed digest as the trail made it (`src/audit/digest.ts`'s `Digest`, which is this shape). */
export interface AuditDigestRow {
  readonly writer: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  /** The hash the first sealed record chains from. */
  readonly firstPrevHash: Buffer;
  /** The hash of record `toSeq`. */
  readonly lastHash: Buffer;
  /** The hashes of records `fromSeq..toSeq`, 32 bytes each, in order: they let verification name each record. */
  readonly recordHashes: Buffer;
  /** Epoch milliseconds when the digest was made. */
  readonly time: number;
  /** SHA-256 of the previous digest's signature (32 zero bytes for a writer's first digest). */
  readonly prevSignatureHash: Buffer;
  readonly signature: Buffer;
}

/** What one writer appends at once: its next records in seq order, and the digest sealing them when one is due. */
export interface AuditBatch {
  readonly writer: string;
  readonly records: readonly AuditRecordRow[];
  readonly digest?: AuditDigestRow;
}

/**
 * Where the audit trail lives. One instance per process; several processes (workers, nodes) share the storage,
 * each appending only its own writer's chain.
 */
export interface AuditStore {
  /** Which backend this is, for messages and metrics. */
  readonly backend: 'sqlite' | 'postgres';
  /**
   * Makes `batch` durable (see the top of this file for where, per backend) and resolves only then. Appends of one
   * writer are never concurrent: the next starts after the previous settled.
   */
  append(batch: AuditBatch): Promise<void>;
  /** Runs a read (or retention's change) over every record any writer was acknowledged for so far. */
  run<T>(plan: SqlPlan<T>): Promise<T>;
  /** Releases what the store holds (files, threads, connections) once everything appended is readable. */
  close(): Promise<void>;
}
