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
export const ConflictException = define('ConflictException');
export const DependencyTimeoutException = define('DependencyTimeoutException', 500);
export const DisabledException = define('DisabledException');
export const DryRunOperationException = define('DryRunOperationException');
export const IncorrectKeyException = define('IncorrectKeyException');
export const InvalidAliasNameException = define('InvalidAliasNameException');
export const InvalidArnException = define('InvalidArnException');
export const InvalidCiphertextException = define('InvalidCiphertextException');
export const InvalidGrantIdException = define('InvalidGrantIdException');
export const InvalidGrantTokenException = define('InvalidGrantTokenException');
export const InvalidKeyUsageException = define('InvalidKeyUsageException');
export const InvalidMarkerException = define('InvalidMarkerException');
export const KMSInternalException = define('KMSInternalException', 500);
export const KMSInvalidMacException = define('KMSInvalidMacException');
export const KMSInvalidSignatureException = define('KMSInvalidSignatureException');
export const KMSInvalidStateException = define('KMSInvalidStateException');
export const KeyUnavailableException = define('KeyUnavailableException', 500);
export const LimitExceededException = define('LimitExceededException');
export const MalformedPolicyDocumentException = define('MalformedPolicyDocumentException');
export const NotFoundException = define('NotFoundException');
export const TagException = define('TagException');
export const UnsupportedOperationException = define('UnsupportedOperationException');

// Exceptions common to every AWS JSON/query service (protocol, authentication, validation).
export const AccessDeniedException = define('AccessDeniedException');
export const ValidationException = define('ValidationException');
export const SerializationException = define('SerializationException');
export const UnknownOperationException = define('UnknownOperationException');
export const MissingAuthenticationTokenException = define('MissingAuthenticationTokenException', 403);
export const IncompleteSignatureException = define('IncompleteSignatureException');
export const InvalidSignatureException = define('InvalidSignatureException');
export const UnrecognizedClientException = define('UnrecognizedClientException');
export const ExpiredTokenException = define('ExpiredTokenException');
export const ThrottlingException = define('ThrottlingException');
export const RequestEntityTooLargeException = define('RequestEntityTooLargeException', 413);
export const InvalidClientTokenId = define('InvalidClientTokenId', 403);

/** The one message every unexpected failure shows the caller. */
export const INTERNAL_ERROR_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';
