import type { WireResponse } from '../../api/http/wire-request.js';
import { KmsError } from '../../errors.js';
import { printableErrorMessage, XksError, XksInternalException, XksInvalidUriPathException } from './xks-errors.js';
import { XKS_API_PATH } from '../xks-wire.js';

/**
 * The HTTP side of the XKS proxy API: which paths are its calls, and how answers and errors are written. Every call is
 * `POST [/prefix]/kms/xks/v1/health` or `POST [/prefix]/kms/xks/v1/keys/{externalKeyId}/{metadata|encrypt|decrypt}`
 * with a JSON body, answered with `application/json` (the specification's "API content type").
 */

/** The four calls, by their audit event names (one record per call, docs/xks-proxy.md#audit). */
export type XksCallName = 'XksGetHealthStatus' | 'XksGetKeyMetadata' | 'XksEncrypt' | 'XksDecrypt';

/** What a request under the proxy's path names. */
export type XksRoute =
  | { readonly call: 'XksGetHealthStatus' }
  | { readonly call: Exclude<XksCallName, 'XksGetHealthStatus'>; readonly externalKeyId: string };

/** The event name of a request under the proxy's path that names no call (answered InvalidUriPathException). */
export const UNKNOWN_XKS_CALL = 'XksUnknownCall';

const KEY_CALLS: Readonly<Record<string, Exclude<XksCallName, 'XksGetHealthStatus'>>> = {
  metadata: 'XksGetKeyMetadata',
  encrypt: 'XksEncrypt',
  decrypt: 'XksDecrypt',
};

/**
 * Whether `path` is the proxy's to answer: under its prefix, or anywhere under a `/kms/xks/` path (a request with a
 * wrong prefix gets the specification's InvalidUriPathException, not the KMS API's UnknownOperationException).
 */
export function isXksPath(path: string, uriPrefix: string): boolean {
  return (uriPrefix !== '' && path.startsWith(`${uriPrefix}/`)) || path.includes('/kms/xks/');
}

/** The call `path` names, or `XksInvalidUriPathException`. */
export function xksRouteOf(path: string, uriPrefix: string): XksRoute {
  const base = `${uriPrefix}${XKS_API_PATH}/`;
  if (!path.startsWith(base)) throw new XksInvalidUriPathException();
  const rest = path.slice(base.length).split('/');
  if (rest.length === 1 && rest[0] === 'health') return { call: 'XksGetHealthStatus' };
  const [keys, externalKeyId, operation] = rest;
  const call = operation !== undefined && Object.hasOwn(KEY_CALLS, operation) ? KEY_CALLS[operation] : undefined;
  if (rest.length !== 3 || keys !== 'keys' || !externalKeyId || call === undefined) {
    throw new XksInvalidUriPathException();
  }
  return { call, externalKeyId };
}

/** A 405 to a method other than POST on one of the four calls' URIs ("it MUST reject the request with a 405"). */
export class XksMethodNotAllowed extends KmsError {
  constructor() {
    super('MethodNotAllowed', 'XKS proxy API calls are POST requests.', 405);
  }
}

const JSON_CONTENT_TYPE = 'application/json';

/** A call's answer: 200 with its JSON body. */
export function xksJsonResponse(requestId: string, body: object): WireResponse {
  return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: JSON.stringify(body) };
}

/**
 * The one place an error becomes an XKS answer: `{"errorName", "errorMessage"}` with the specification's status. A 405
 * names the method allowed; anything else that is not an `XksError` (the App's answer when the audit trail could not
 * record the outcome) is an InternalException, with nothing of the original.
 */
export function xksErrorResponse(requestId: string, error: KmsError): WireResponse {
  const headers = { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId };
  if (error instanceof XksMethodNotAllowed) {
    return { status: 405, headers: { ...headers, allow: 'POST' }, body: JSON.stringify({ errorMessage: error.message }) };
  }
  const answered = error instanceof XksError ? error : new XksInternalException();
  return {
    status: answered.status,
    headers,
    body: JSON.stringify({ errorName: answered.type, errorMessage: printableErrorMessage(answered.message) }),
  };
}
