/**
 * What can go wrong with a PKCS#11 token, as a closed list the callers map onto their own answers (a start-up
 * message for a root of trust, a `ConnectionErrorCode` for a custom key store).
 *
 * Messages name the module path, the token label and the Cryptoki return value (`CKR_*`), never the PIN and
 * never plaintext or ciphertext.
 */
export type Pkcs11Problem =
  | 'BINDING_MISSING'
  | 'MODULE_NOT_FOUND'
  | 'TOKEN_NOT_FOUND'
  | 'PIN_INCORRECT'
  | 'PIN_LOCKED'
  | 'KEY_NOT_FOUND'
  | 'DEVICE_ERROR';

export class Pkcs11Error extends Error {
  override readonly name = 'Pkcs11Error';

  constructor(
    readonly problem: Pkcs11Problem,
    message: string,
    /** The Cryptoki return value (`CKR_*`) behind it, when a call returned one. */
    readonly returnValue?: string,
  ) {
    super(message);
  }
}

/**
 * An AES-GCM tag that does not verify (changed ciphertext, IV, AAD or key). One message for every cause, so
 * that the answer tells an attacker nothing about which part was wrong.
 */
export class Pkcs11DecryptionFailed extends Error {
  override readonly name = 'Pkcs11DecryptionFailed';

  constructor() {
    super('decryption failed');
  }
}

/** The Cryptoki return values given a problem of their own; every other `CKR_*` is a `DEVICE_ERROR`. */
const PROBLEM_OF_RETURN_VALUE: Readonly<Record<string, Pkcs11Problem>> = {
  CKR_PIN_INCORRECT: 'PIN_INCORRECT',
  // A PIN of a length the token never accepts cannot be the right one either.
  CKR_PIN_LEN_RANGE: 'PIN_INCORRECT',
  CKR_PIN_LOCKED: 'PIN_LOCKED',
  CKR_KEY_HANDLE_INVALID: 'KEY_NOT_FOUND',
  CKR_OBJECT_HANDLE_INVALID: 'KEY_NOT_FOUND',
  CKR_TOKEN_NOT_PRESENT: 'TOKEN_NOT_FOUND',
};

/**
 * The `CKR_*` name of an error thrown by pkcs11js (its `Pkcs11Error` carries the name as its message), or
 * undefined for anything else (a native or type error, which has no return value).
 */
export function returnValueOf(error: unknown): string | undefined {
  // pkcs11js names its class `Pkcs11Error` too; its errors carry the numeric return value as `code`.
  if (!(error instanceof Error) || error instanceof Pkcs11Error || error.name !== 'Pkcs11Error') return undefined;
  if (!('code' in error) || typeof error.code !== 'number') return undefined;
  const name = /^CKR_[A-Z0-9_]+$/.exec(error.message);
  return name?.[0] ?? 'CKR_VENDOR_DEFINED';
}

/**
 * Translates whatever a Cryptoki call threw into a `Pkcs11Error` whose message says what was being done
 * (`doing`, which names the token or module) and which return value the token gave.
 */
export function pkcs11Failure(error: unknown, doing: string): Pkcs11Error {
  if (error instanceof Pkcs11Error) return error;
  const returnValue = returnValueOf(error);
  if (returnValue === undefined) {
    // Not a Cryptoki return value: a bug in a caller or the binding; its message holds no secret (pkcs11js
    // reports argument types and native errors), but keep only its first line.
    const firstLine = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return new Pkcs11Error('DEVICE_ERROR', `${doing} failed: ${firstLine}`);
  }
  return new Pkcs11Error(PROBLEM_OF_RETURN_VALUE[returnValue] ?? 'DEVICE_ERROR', `${doing} failed: ${returnValue}`, returnValue);
}
