import {
  CustomKeyStoreInvalidStateException,
  KMSInvalidStateException,
  XksKeyInvalidConfigurationException,
  XksKeyNotFoundException,
  XksProxyIncorrectAuthenticationCredentialException,
  XksProxyInvalidConfigurationException,
  XksProxyInvalidResponseException,
  XksProxyUriUnreachableException,
  type KmsError,
} from '../../errors.js';
import type { ConnectionErrorCode } from '../../keys/custom-key-store.js';
import type { XksCallFailure } from '../../xks/xks-client.js';

/**
 * What a failed call to an XKS proxy answers, after the specification's "KMS Considerations" table (Error codes):
 * one message per failure, whatever the operation, and an exception that depends on the operation — the store's own
 * (Create/UpdateCustomKeyStore), CreateKey's, or `KMSInvalidStateException` for every cryptographic operation. The
 * proxy's own `errorMessage` is never passed on (AWS logs it for the account instead).
 */

/** The KMS operations whose answers differ. */
export type XksCallContext = 'key-store' | 'create-key' | 'cryptography';

type Failure = XksCallFailure['errorName'] | 'unreachable' | 'tls' | 'timeout' | 'malformed';

interface Answer {
  readonly message: string;
  readonly keyStore: (message: string) => KmsError;
  readonly createKey: (message: string) => KmsError;
  readonly connectionError: ConnectionErrorCode;
}

const INVALID_RESPONSE =
  'AWS KMS cannot interpret the response from the external key store proxy. If you see this error repeatedly, report it to your external key store proxy administrator.';

const invalidResponse = (message: string) => new XksProxyInvalidResponseException(message);
const unreachable = (message: string) => new XksProxyUriUnreachableException(message);
const storeState = (message: string) => new CustomKeyStoreInvalidStateException(message);

const ANSWERS: Readonly<Record<NonNullable<Failure>, Answer>> = {
  ValidationException: { message: INVALID_RESPONSE, keyStore: invalidResponse, createKey: storeState, connectionError: 'XKS_PROXY_INVALID_RESPONSE' },
  InvalidStateException: {
    message: 'The external key associated with this KMS key in an external key store is not enabled in the external key manager. Enable the external key in the external key manager and retry the request.',
    keyStore: invalidResponse,
    createKey: (message) => new XksKeyInvalidConfigurationException(message),
    connectionError: 'XKS_PROXY_INVALID_RESPONSE',
  },
  InvalidCiphertextException: {
    message: 'The external key store proxy rejected the request because the specified ciphertext or encryption context is corrupted, missing, or otherwise invalid.',
    keyStore: invalidResponse,
    createKey: storeState,
    connectionError: 'XKS_PROXY_INVALID_RESPONSE',
  },
  InvalidKeyUsageException: {
    message: 'The external key associated with this KMS key in an external key store does not support the requested operation. Enable the operation on the key in your external key manager, and try the request again.',
    keyStore: invalidResponse,
    createKey: (message) => new XksKeyInvalidConfigurationException(message),
    connectionError: 'XKS_PROXY_INVALID_RESPONSE',
  },
  AuthenticationFailedException: {
    message: 'The external key store proxy rejected the request because it could not authenticate AWS KMS. Verify the XKS proxy authentication credentials for your external key store and update if necessary.',
    keyStore: (message) => new XksProxyIncorrectAuthenticationCredentialException(message),
    createKey: storeState,
    connectionError: 'XKS_PROXY_ACCESS_DENIED',
  },
  AccessDeniedException: {
    message: 'The external key store proxy denied access to the operation. Verify that the user and the external key are both authorized for this operation, and try the request again.',
    keyStore: invalidResponse,
    createKey: (message) => new KMSInvalidStateException(message),
    connectionError: 'XKS_PROXY_ACCESS_DENIED',
  },
  KeyNotFoundException: {
    message: 'The external key associated with this KMS key in an external key store was not found in its external key manager. If the external key ID associated with this KMS key is incorrect, create a new KMS key with the correct external key ID.',
    keyStore: invalidResponse,
    createKey: (message) => new XksKeyNotFoundException(message),
    connectionError: 'XKS_PROXY_INVALID_RESPONSE',
  },
  InvalidUriPathException: {
    message: 'The external key store proxy rejected the request because of an invalid URI path. Verify the URI path for your external key store and update if necessary.',
    keyStore: (message) => new XksProxyInvalidConfigurationException(message),
    createKey: storeState,
    connectionError: 'XKS_PROXY_INVALID_CONFIGURATION',
  },
  UnsupportedOperationException: {
    message: 'The external key store proxy rejected the request because it does not support the requested operation. If you see this error repeatedly, report it to your external key store proxy administrator.',
    keyStore: invalidResponse,
    createKey: invalidResponse,
    connectionError: 'XKS_PROXY_INVALID_RESPONSE',
  },
  DependencyTimeoutException: {
    message: 'The external key store proxy did not respond to the request in the time allotted. Retry the request. If you see this error repeatedly, report it to your external key store proxy administrator.',
    keyStore: unreachable,
    createKey: storeState,
    connectionError: 'XKS_PROXY_TIMED_OUT',
  },
  ThrottlingException: {
    message: 'The external key store proxy rejected the request due to a very high request rate. Reduce the frequency of your calls using KMS keys in this external key store.',
    keyStore: unreachable,
    createKey: storeState,
    connectionError: 'XKS_PROXY_NOT_REACHABLE',
  },
  InternalException: {
    message: 'The external key store proxy rejected the request because it cannot communicate with the external key manager. Verify that the external key store proxy configuration is correct and that the external key manager is available.',
    keyStore: invalidResponse,
    createKey: storeState,
    connectionError: 'XKS_PROXY_INVALID_RESPONSE',
  },
  unreachable: {
    message: 'AWS KMS cannot communicate with the external key store proxy. This might be a transient network issue. If you see this error repeatedly, verify that your external key store proxy is active and is connected to the network, and that its endpoint URI is correct in your external keystore.',
    keyStore: unreachable,
    createKey: storeState,
    connectionError: 'XKS_PROXY_NOT_REACHABLE',
  },
  tls: {
    message: 'AWS KMS cannot establish a TLS connection to the external key store proxy. Verify the TLS configuration, including its certificate.',
    keyStore: unreachable,
    createKey: storeState,
    connectionError: 'XKS_PROXY_INVALID_TLS_CONFIGURATION',
  },
  timeout: {
    message: 'AWS KMS rejected the request because the external key store proxy did not respond in time. Retry the request. If you see this error repeatedly, report it to your external key store proxy administrator.',
    keyStore: unreachable,
    createKey: storeState,
    connectionError: 'XKS_PROXY_TIMED_OUT',
  },
  malformed: { message: INVALID_RESPONSE, keyStore: invalidResponse, createKey: storeState, connectionError: 'XKS_PROXY_INVALID_RESPONSE' },
};

function answerTo(failure: XksCallFailure): Answer {
  return ANSWERS[failure.kind === 'proxy-error' && failure.errorName ? failure.errorName : failure.kind === 'proxy-error' ? 'malformed' : failure.kind];
}

/** The AWS exception a failed proxy call answers the KMS request with. */
export function xksFailureException(failure: XksCallFailure, context: XksCallContext): KmsError {
  const answer = answerTo(failure);
  if (context === 'key-store') return answer.keyStore(answer.message);
  if (context === 'create-key') return answer.createKey(answer.message);
  return new KMSInvalidStateException(answer.message);
}

/** The `ConnectionErrorCode` a failed health check leaves a store `FAILED` with. */
export function xksConnectionError(failure: XksCallFailure): ConnectionErrorCode {
  return answerTo(failure).connectionError;
}

/** A proxy's cryptographic answer that does not decrypt what it should (the specification's "invalid ciphertext"). */
export const PROXY_RETURNED_INVALID_CIPHERTEXT =
  'The ciphertext that the external key store proxy submitted for decryption, or the encryption context, is corrupted, missing, or otherwise invalid.';

/** A key whose store is not connected: every cryptographic operation answers this, as `KMSInvalidStateException`. */
export const EXTERNAL_KEY_STORE_NOT_CONNECTED =
  'This KMS key is in a custom key store that is not connected to its external key store proxy. Connect the external key store and try the request again.';
