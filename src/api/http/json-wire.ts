import { KmsError } from '../../errors.js';
import type { WireResponse } from './wire-request.js';

export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * Serialises a response the way AWS's JSON protocol does: blobs (Buffers) as base64, timestamps (Dates) as
 * epoch seconds. JSON.stringify calls Buffer#toJSON before the replacer sees a value, so the replacer looks at
 * the holder's raw property instead.
 */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  if (raw instanceof Date) return raw.getTime() / 1000;
  return value;
}

export function jsonResponse(requestId: string, output: unknown, contentType = AMZ_JSON_1_1): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
    body: JSON.stringify(output ?? {}, replacer),
  };
}

/** The one place a KMS (JSON protocol) error becomes a response. */
export function jsonErrorResponse(requestId: string, error: KmsError, contentType = AMZ_JSON_1_1): WireResponse {
  const body: Record<string, string> = { __type: error.type };
  if (error.message) body['message'] = error.message;
  return {
    status: error.status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.type },
    body: JSON.stringify(body),
  };
}
