/**
 * The error catalogue: every AWS exception a caller can see, one class per exception name, each knowing its
 * `__type` (or query-protocol `Code`) and HTTP status. Grouped by service below: the protocols, KMS, IAM and STS,
 * CloudTrail. Errors are shared by every layer (this module imports nothing) and mapped to the wire in exactly one
 * place (`api/app.ts`, through `api/http/json-wire.ts` or `api/query/xml-wire.ts`); anything that is not a
 * `KmsError` becomes a bare `KMSInternalException` there, with details only in the server's log.
 * `docs/errors.md` lists them all; `test/api/error-catalogue.test.ts` keeps the two in step.
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

/**
 * The base class of one catalogue entry. Its `type` is the literal exception name, so every exception is its
 * own type: a function that accepts a `NotFoundException` refuses a `DisabledException` at compile time, and
 * `instanceof` narrows to the one exception. The catalogue's only helper.
 *
 * @example
 *   export class NotFoundException extends exception('NotFoundException') {}
 *   throw new NotFoundException(`Key '${arn}' does not exist`); // __type NotFoundException, status 400
 */
function exception<const Type extends string>(type: Type, status = 400) {
  return class extends KmsError {
    declare readonly type: Type;
    constructor(message: string) {
      super(type, message, status);
    }
  };
}

// Exceptions common to every AWS JSON/query service (protocol, authentication, validation).
export class AccessDeniedException extends exception('AccessDeniedException') {}
export class ValidationException extends exception('ValidationException') {}
export class SerializationException extends exception('SerializationException') {}
export class UnknownOperationException extends exception('UnknownOperationException') {}
export class MissingAuthenticationTokenException extends exception('MissingAuthenticationTokenException') {}
export class IncompleteSignatureException extends exception('IncompleteSignatureException') {}
export class InvalidSignatureException extends exception('InvalidSignatureException') {}
export class UnrecognizedClientException extends exception('UnrecognizedClientException') {}
export class ExpiredTokenException extends exception('ExpiredTokenException') {}
export class RequestEntityTooLargeException extends exception('RequestEntityTooLargeException', 413) {}
export class KMSInternalException extends exception('KMSInternalException', 500) {}
/** A request quota of the caller's account and region is used up (`docs/quotas.md`); AWS's message by default. */
export class ThrottlingException extends exception('ThrottlingException') {
  constructor(message = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.') {
    super(message);
  }
}

/** The one message every unexpected failure shows the caller. */
export const INTERNAL_ERROR_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';

// KMS service exceptions (from the model's error shapes).
export class AlreadyExistsException extends exception('AlreadyExistsException') {}
export class ConflictException extends exception('ConflictException') {}
export class CustomKeyStoreNotFoundException extends exception('CustomKeyStoreNotFoundException') {}
export class DisabledException extends exception('DisabledException') {}
export class DryRunOperationException extends exception('DryRunOperationException') {}
export class IncorrectKeyException extends exception('IncorrectKeyException') {}
export class InvalidAliasNameException extends exception('InvalidAliasNameException') {}
export class InvalidArnException extends exception('InvalidArnException') {}
export class InvalidCiphertextException extends exception('InvalidCiphertextException') {}
export class InvalidGrantTokenException extends exception('InvalidGrantTokenException') {}
export class InvalidKeyUsageException extends exception('InvalidKeyUsageException') {}
export class InvalidMarkerException extends exception('InvalidMarkerException') {}
export class KMSInvalidMacException extends exception('KMSInvalidMacException') {}
export class KMSInvalidSignatureException extends exception('KMSInvalidSignatureException') {}
export class KMSInvalidStateException extends exception('KMSInvalidStateException') {}
export class KeyUnavailableException extends exception('KeyUnavailableException', 500) {}
export class LimitExceededException extends exception('LimitExceededException') {}
export class MalformedPolicyDocumentException extends exception('MalformedPolicyDocumentException') {}
export class NotFoundException extends exception('NotFoundException') {}
export class TagException extends exception('TagException') {}
export class UnsupportedOperationException extends exception('UnsupportedOperationException') {}
export class ExpiredImportTokenException extends exception('ExpiredImportTokenException') {}
export class IncorrectKeyMaterialException extends exception('IncorrectKeyMaterialException') {}
export class InvalidImportTokenException extends exception('InvalidImportTokenException') {}
// Custom key stores (AWS_CLOUDHSM type: HSM clusters are PKCS#11 tokens the operator registered, ADR 0022).
export class CustomKeyStoreInvalidStateException extends exception('CustomKeyStoreInvalidStateException') {}
export class CustomKeyStoreNameInUseException extends exception('CustomKeyStoreNameInUseException') {}
export class CustomKeyStoreHasCMKsException extends exception('CustomKeyStoreHasCMKsException') {}
export class CloudHsmClusterNotFoundException extends exception('CloudHsmClusterNotFoundException') {}
export class CloudHsmClusterInUseException extends exception('CloudHsmClusterInUseException') {}
export class CloudHsmClusterNotRelatedException extends exception('CloudHsmClusterNotRelatedException') {}
export class IncorrectTrustAnchorException extends exception('IncorrectTrustAnchorException') {}
// External key stores (EXTERNAL_KEY_STORE: an XKS proxy, ADR 0023).
export class XksKeyAlreadyInUseException extends exception('XksKeyAlreadyInUseException') {}
export class XksKeyInvalidConfigurationException extends exception('XksKeyInvalidConfigurationException') {}
export class XksKeyNotFoundException extends exception('XksKeyNotFoundException') {}
export class XksProxyIncorrectAuthenticationCredentialException extends exception('XksProxyIncorrectAuthenticationCredentialException') {}
export class XksProxyInvalidConfigurationException extends exception('XksProxyInvalidConfigurationException') {}
export class XksProxyInvalidResponseException extends exception('XksProxyInvalidResponseException') {}
export class XksProxyUriInUseException extends exception('XksProxyUriInUseException') {}
export class XksProxyUriUnreachableException extends exception('XksProxyUriUnreachableException') {}
export class XksProxyVpcEndpointServiceNotFoundException extends exception('XksProxyVpcEndpointServiceNotFoundException') {}

// IAM and STS (query protocol, answered in XML): codes and statuses of the IAM and STS models.
/** "User with name bob already exists." */
export class EntityAlreadyExists extends exception('EntityAlreadyExists', 409) {}
/** "The user with name bob cannot be found." */
export class NoSuchEntity extends exception('NoSuchEntity', 404) {}
/** "Cannot delete entity, must delete policies first." */
export class DeleteConflict extends exception('DeleteConflict', 409) {}
/** A policy document that does not parse or breaks the grammar. */
export class MalformedPolicyDocument extends exception('MalformedPolicyDocument') {}
/** A quota (access keys per user, policy size) would be exceeded. */
export class LimitExceeded extends exception('LimitExceeded', 409) {}
/** A parameter fails its constraint ("1 validation error detected: ..."; see `validationError`). */
export class ValidationError extends exception('ValidationError') {}
/** IAM's and STS's authorization failure (KMS's is `AccessDeniedException`). */
export class AccessDenied extends exception('AccessDenied', 403) {}
/** The query protocol's name for an unknown access key (JSON protocols: `UnrecognizedClientException`). */
export class InvalidClientTokenId extends exception('InvalidClientTokenId', 403) {}
/** The query protocol's name for `MissingAuthenticationTokenException`. */
export class MissingAuthenticationToken extends exception('MissingAuthenticationToken', 403) {}
/** The query protocol's name for `IncompleteSignatureException`. */
export class IncompleteSignature extends exception('IncompleteSignature', 403) {}
/** The query protocol's name for `InvalidSignatureException`. */
export class SignatureDoesNotMatch extends exception('SignatureDoesNotMatch', 403) {}

/**
 * IAM's and STS's message for one failed parameter constraint, e.g.
 * `1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy
 * regular expression pattern: [\w+=,.@-]+`.
 */
export function validationError(member: string, value: string | undefined, constraint: string): ValidationError {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new ValidationError(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

// CloudTrail's LookupEvents (JSON 1.1, from the CloudTrail model). Three carry AWS's model text as their default.
/** More than one lookup attribute, an unknown attribute key, or an empty or over-long value. */
export class InvalidLookupAttributesException extends exception('InvalidLookupAttributesException') {}
/** StartTime after EndTime. */
export class InvalidTimeRangeException extends exception('InvalidTimeRangeException') {
  constructor(message = 'Occurs if the timestamp values are invalid. Either the start time occurs after the end time or the time range is outside the range of possible values.') {
    super(message);
  }
}
/** MaxResults outside 1–50. */
export class InvalidMaxResultsException extends exception('InvalidMaxResultsException') {
  constructor(message = 'This exception is thrown if the limit specified is not valid.') {
    super(message);
  }
}
/** A NextToken that is malformed or was issued for different parameters. */
export class InvalidNextTokenException extends exception('InvalidNextTokenException') {
  constructor(message = 'A token that is not valid, or a token that was previously used in a request with different parameters.') {
    super(message);
  }
}
/** An `EventCategory` other than `insight`. */
export class InvalidEventCategoryException extends exception('InvalidEventCategoryException') {}
