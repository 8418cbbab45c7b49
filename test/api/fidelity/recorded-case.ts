/**
 * The vocabulary of the fidelity table: one recorded AWS answer, the request that drew it, and what a
 * comparison may and may not look at.
 *
 * The answers come from LocalStack's AWS-validated KMS tests (`localstack/localstack`,
 * `tests/aws/services/kms/test_kms.py` and `test_kms.snapshot.json`): requests sent to real AWS KMS and the
 * answers AWS gave, recorded as snapshots. A case names its snapshot as `test_name/snapshot-key`, so a reader
 * can find the recorded answer in one search.
 */

/** What a case can ask about the world it runs in: the keys it created and the answers of earlier calls. */
export interface CaseContext {
  readonly accountId: string;
  /** The region requests go to unless a call names another. */
  readonly region: string;
  /** A key the case created in its `keys`, by the name it gave it. */
  key(name: string): { readonly KeyId: string; readonly Arn: string };
  /** The answer of an earlier call saved with `saveAs`. */
  output(name: string): Readonly<Record<string, unknown>>;
  /** The ARN a key id has in the caller's account and region (what AWS writes in NotFoundException). */
  arnOf(keyId: string, region?: string): string;
}

/** A value given directly, or computed from the context once the case's keys exist. */
export type Computed<T> = T | ((context: CaseContext) => T);

/** A request member map in AWS's wire vocabulary; blobs are `Uint8Array`. */
export type WireInput = Readonly<Record<string, unknown>>;

export interface Call {
  readonly operation: string;
  readonly input: Computed<WireInput>;
  /** Send to another region than the case's default (keys are regional). */
  readonly region?: string;
  /** Keep the answer for later calls (`context.output(name)`). */
  readonly saveAs?: string;
}

/** A key the case needs, made with CreateKey before its calls run. */
export interface KeySetup {
  readonly input: WireInput;
  readonly region?: string;
}

/** A recorded error: the exception name and the message AWS wrote. */
export interface ErrorAnswer {
  readonly error: string;
  /**
   * The message, exactly. `''` means AWS sent none. `UNVERIFIED_MESSAGE` means the recording did not verify the
   * message against AWS (the LocalStack test skips it), so only the exception name is compared. A `Like`, or one
   * computed from the context, where the message holds a value AWS chose.
   */
  readonly message: Computed<string | Like> | typeof UNVERIFIED_MESSAGE;
}

export const UNVERIFIED_MESSAGE = Symbol('message not verified against AWS');

/**
 * A matcher for a member whose value AWS chooses (ids, dates, random bytes, ciphertexts): the recording shows
 * only its kind, so the comparison checks only its kind.
 */
export class Like {
  constructor(
    readonly description: string,
    readonly accepts: (value: unknown) => boolean,
  ) {}
}

/**
 * A response shape: the members AWS returned, each a literal (compared exactly), a `Like`, a nested shape, or a
 * function of the context (for values derived from the case's keys). The member set must match exactly: a
 * member AWS omits must be absent from our answer too.
 */
export interface Shape {
  readonly [member: string]: ShapeValue;
}
export type ShapeValue =
  | string
  | number
  | boolean
  | readonly unknown[]
  | Like
  | Shape
  | ((context: CaseContext) => unknown);

export interface ShapeAnswer {
  readonly shape: Shape;
  /**
   * Top-level members AWS added after the recording was made (the model has them, a later recording shows
   * them): allowed in our answer, not required.
   */
  readonly addedSince?: readonly string[];
  /** The recording kept only these members of the answer (the test snapshotted a part of it). */
  readonly partial?: true;
}

export type Expected = ErrorAnswer | ShapeAnswer;

export interface RecordedCase {
  /** `test_name/snapshot-key` in LocalStack's snapshot file (or the test's own assertion, see `note`). */
  readonly recorded: string;
  readonly keys?: Readonly<Record<string, KeySetup>>;
  /** Calls that must succeed before the recorded one (their answers may be saved). */
  readonly before?: readonly Call[];
  readonly call: Call;
  readonly expect: Expected;
  /** Why the case looks the way it does, where the table alone would not say. */
  readonly note?: string;
}

/** A recorded case this suite does not run, and why. */
export interface SkippedCase {
  readonly recorded: string;
  readonly reason: string;
}

export const ANY_STRING = new Like('a string', (value) => typeof value === 'string' && value.length > 0);
export const ANY_BLOB = new Like('a non-empty blob', (value) => value instanceof Uint8Array && value.length > 0);
export const ANY_DATE = new Like('a timestamp', (value) => value instanceof Date && !Number.isNaN(value.getTime()));

/** A blob of exactly `length` bytes. */
export function blobOf(length: number): Like {
  return new Like(`a blob of ${length} bytes`, (value) => value instanceof Uint8Array && value.length === length);
}

/**
 * An enum validation message: AWS lists the allowed values in an order of its own, and the list grows as AWS
 * adds values, so the text before the list is compared exactly and the list must hold every recorded value.
 */
export function enumViolation(prefix: string, recordedValues: readonly string[]): Like {
  return new Like(`${prefix}[... ${recordedValues.join(', ')} ...]`, (value) => {
    if (typeof value !== 'string' || !value.startsWith(`${prefix}[`) || !value.endsWith(']')) return false;
    const listed = new Set(value.slice(prefix.length + 1, -1).split(', '));
    return recordedValues.every((recorded) => listed.has(recorded));
  });
}
