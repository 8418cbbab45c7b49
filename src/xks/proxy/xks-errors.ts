import { KmsError } from '../../errors.js';
import { XKS_ERROR_STATUS, type XksErrorName } from '../xks-wire.js';

/**
 * The XKS proxy API's errors (the specification's "Error codes" table), one class per error name, each knowing its
 * HTTP status from `XKS_ERROR_STATUS`. They are `KmsError`s so that the App records them in the audit trail as it
 * records every error (`type` is the error name); `xksErrorResponse` (xks-http.ts) is the one place they become a
 * response. Messages are the specification's scenario in a sentence, never a request's data.
 */
export class XksError extends KmsError {
  declare readonly type: XksErrorName;

  constructor(name: XksErrorName, message: string) {
    super(name, message, XKS_ERROR_STATUS[name]);
  }
}

function xksError<const Name extends XksErrorName>(name: Name, defaultMessage: string) {
  return class extends XksError {
    declare readonly type: Name;
    constructor(message = defaultMessage) {
      super(name, message);
    }
  };
}

export class XksValidationException extends xksError('ValidationException', 'One or more input parameters is invalid.') {}
export class XksInvalidStateException extends xksError('InvalidStateException', 'The specified key is disabled, deactivated or blocked.') {}
export class XksInvalidCiphertextException extends xksError(
  'InvalidCiphertextException',
  'The specified ciphertext, initialization vector, additional authenticated data or authentication tag is corrupted, missing, or otherwise invalid.',
) {}
export class XksInvalidKeyUsageException extends xksError('InvalidKeyUsageException', 'The specified key does not support the requested operation.') {}
export class XksAuthenticationFailedException extends xksError('AuthenticationFailedException', 'The request was rejected due to an invalid AWS SigV4 signature.') {}
export class XksAccessDeniedException extends xksError('AccessDeniedException', 'The operation is not authorized.') {}
export class XksKeyNotFoundException extends xksError('KeyNotFoundException', 'The specified key is not found.') {}
export class XksInvalidUriPathException extends xksError('InvalidUriPathException', 'The specified URI path is not valid.') {}
export class XksUnsupportedOperationException extends xksError('UnsupportedOperationException', 'The requested operation is not supported.') {}
export class XksInternalException extends xksError('InternalException', 'The request failed because of an internal error.') {}

/**
 * An `errorMessage` as the specification allows it: printable ASCII (0x20–0x7e) only, fewer than 512 characters.
 * Anything else is replaced by `?` and the rest cut, so no message a client chose part of can break the rule.
 */
export function printableErrorMessage(message: string): string {
  const printable = message.replace(/[^\x20-\x7e]/g, '?');
  return printable.length < 512 ? printable : `${printable.slice(0, 508)}...`;
}
