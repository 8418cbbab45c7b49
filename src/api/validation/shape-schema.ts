/**
 * The vocabulary of the validation schema that `scripts/generate-kms-api.ts` writes into
 * `src/api/generated/kms-schema.ts`: the input shapes of the AWS KMS model, as plain data.
 *
 * Shapes refer to each other by name (`member: 'GrantTokenType'`), so a shape shared by many operations is
 * written once. Constraints keep the model's meaning: `min`/`max` bound a string's length in UTF-16 code
 * units, a blob's decoded length in bytes, a list's number of items, or an integer's value.
 *
 * @example
 *   const keyId: ShapeSchema = { type: 'string', min: 1, max: 2048 };
 *   const encrypt: ShapeSchema = {
 *     type: 'structure',
 *     required: ['KeyId', 'Plaintext'],
 *     members: { KeyId: 'KeyIdType', Plaintext: 'PlaintextType' },
 *   };
 */
export type ShapeSchema =
  | StringShapeSchema
  | BlobShapeSchema
  | IntegerShapeSchema
  | BooleanShapeSchema
  | TimestampShapeSchema
  | ListShapeSchema
  | MapShapeSchema
  | StructureShapeSchema;

/** A string; an enum when `enum` is present. `pattern` is the model's Java regular expression, verbatim. */
export interface StringShapeSchema {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** The model marks the shape sensitive: its value never appears in a message. */
  readonly sensitive?: true;
}

/** Bytes, base64 on the wire. A blob's value never appears in a message, sensitive or not. */
export interface BlobShapeSchema {
  readonly type: 'blob';
  readonly min?: number;
  readonly max?: number;
  readonly sensitive?: true;
}

/** A 32-bit signed integer (Java `int`, as AWS deserialises it). */
export interface IntegerShapeSchema {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanShapeSchema {
  readonly type: 'boolean';
}

/** A point in time, epoch seconds on the wire (JSON 1.1 protocol). */
export interface TimestampShapeSchema {
  readonly type: 'timestamp';
}

export interface ListShapeSchema {
  readonly type: 'list';
  /** The shape of every item. */
  readonly member: string;
  readonly min?: number;
  readonly max?: number;
}

/** A JSON object of string keys to string values (the model's only map is the encryption context). */
export interface MapShapeSchema {
  readonly type: 'map';
  readonly key: string;
  readonly value: string;
}

export interface StructureShapeSchema {
  readonly type: 'structure';
  /** Member name → shape name, in the model's order (which is the order violations are reported in). */
  readonly members: Readonly<Record<string, string>>;
  readonly required?: readonly string[];
}

/** Every shape an operation's input can reach, by name. */
export type ShapeTable = Readonly<Record<string, ShapeSchema>>;
