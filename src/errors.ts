/**
 * The error catalogue: one class per AWS exception name, each knowing its `__type` and HTTP status.
 * Errors are shared by every layer (it imports nothing) and mapped to the wire in exactly one place (`api/http/respond.ts`); anything that is not a
 * `KmsError` becomes a bare `KMSInternalException` there, with details only in the server's log.
 *
 * Messages are part of the contract (tests and SDK users match on them): they follow AWS's wording and
 * never contain plaintext, key material, secrets or signatures.
 */
export class KmsError extends Error {
  /** The AWS exception name, sent as `__type`. */
  readonly type: string;
  /** The HTTP status AWS uses for this exception. */
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
    this.name = type;
  }
}

type ErrorClass = new (message: string) => KmsError;

function define(type: string, status = 400): ErrorClass {
  const named = {
    [type]: class extends KmsError {
      constructor(message: string) {
        super(type, message, status);
      }
    },
  };
  return named[type] as ErrorClass;
}

// KMS service exceptions (from the model's error shapes).
export const AlreadyExistsException = define('AlreadyExistsException');
export type AlreadyExistsException = KmsError;
export const ConflictException = define('ConflictException');
export type ConflictException = KmsError;
export const CustomKeyStoreNotFoundException = define('CustomKeyStoreNotFoundException');
export type CustomKeyStoreNotFoundException = KmsError;
export const DisabledException = define('DisabledException');
export type DisabledException = KmsError;
export const DryRunOperationException = define('DryRunOperationException');
export type DryRunOperationException = KmsError;
export const IncorrectKeyException = define('IncorrectKeyException');
export type IncorrectKeyException = KmsError;
export const InvalidAliasNameException = define('InvalidAliasNameException');
export type InvalidAliasNameException = KmsError;
export const InvalidArnException = define('InvalidArnException');
export type InvalidArnException = KmsError;
export const InvalidCiphertextException = define('InvalidCiphertextException');
export type InvalidCiphertextException = KmsError;
export const InvalidGrantTokenException = define('InvalidGrantTokenException');
export type InvalidGrantTokenException = KmsError;
export const InvalidKeyUsageException = define('InvalidKeyUsageException');
export type InvalidKeyUsageException = KmsError;
export const InvalidMarkerException = define('InvalidMarkerException');
export type InvalidMarkerException = KmsError;
export const KMSInternalException = define('KMSInternalException', 500);
export type KMSInternalException = KmsError;
export const KMSInvalidMacException = define('KMSInvalidMacException');
export type KMSInvalidMacException = KmsError;
export const KMSInvalidSignatureException = define('KMSInvalidSignatureException');
export type KMSInvalidSignatureException = KmsError;
export const KMSInvalidStateException = define('KMSInvalidStateException');
export type KMSInvalidStateException = KmsError;
export const KeyUnavailableException = define('KeyUnavailableException', 500);
export type KeyUnavailableException = KmsError;
export const LimitExceededException = define('LimitExceededException');
export type LimitExceededException = KmsError;
export const MalformedPolicyDocumentException = define('MalformedPolicyDocumentException');
export type MalformedPolicyDocumentException = KmsError;
export const NotFoundException = define('NotFoundException');
export type NotFoundException = KmsError;
export const TagException = define('TagException');
export type TagException = KmsError;
export const UnsupportedOperationException = define('UnsupportedOperationException');
export type UnsupportedOperationException = KmsError;

// Exceptions common to every AWS JSON/query service (protocol, authentication, validation).
export const AccessDeniedException = define('AccessDeniedException');
export type AccessDeniedException = KmsError;
export const ValidationException = define('ValidationException');
export type ValidationException = KmsError;
export const SerializationException = define('SerializationException');
export type SerializationException = KmsError;
export const UnknownOperationException = define('UnknownOperationException');
export type UnknownOperationException = KmsError;
export const MissingAuthenticationTokenException = define('MissingAuthenticationTokenException');
export type MissingAuthenticationTokenException = KmsError;
export const IncompleteSignatureException = define('IncompleteSignatureException');
export type IncompleteSignatureException = KmsError;
export const InvalidSignatureException = define('InvalidSignatureException');
export type InvalidSignatureException = KmsError;
export const UnrecognizedClientException = define('UnrecognizedClientException');
export type UnrecognizedClientException = KmsError;
export const ExpiredTokenException = define('ExpiredTokenException');
export type ExpiredTokenException = KmsError;
export const RequestEntityTooLargeException = define('RequestEntityTooLargeException', 413);
export type RequestEntityTooLargeException = KmsError;

/** The one message every unexpected failure shows the caller. */
export const INTERNAL_ERROR_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';
