import { KmsError, SerializationException } from '../../errors.js';
import type { WireResponse } from './wire-request.js';

export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * The wire form of a response value, as AWS's JSON protocol has it: blobs (Buffers) as base64, timestamps
 * (Dates) as epoch seconds, absent members omitted. Done before JSON.stringify because a replacer would only
 * see a Buffer after Buffer#toJSON had already turned it into an array of numbers (slow for kilobytes).
 */
export function toWireValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWireValue);
  if (value !== null && typeof value === 'object') {
    const wire: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(value)) {
      if (member !== undefined) wire[name] = toWireValue(member);
    }
    return wire;
  }
  return value;
}

export function jsonResponse(requestId: string, output: unknown, contentType = AMZ_JSON_1_1): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
    body: toJsonBody(output ?? {}),
  };
}

/**
 * `JSON.stringify(toWireValue(output))`, with the output's top-level blobs (a ciphertext, a data key, a
 * signature) appended as base64 directly. Base64 needs no JSON escaping, and letting JSON.stringify scan a few
 * kilobytes of it for characters to escape was the largest single cost of building a response.
 */
function toJsonBody(output: unknown): string {
  if (output === null || typeof output !== 'object' || Array.isArray(output) || output instanceof Uint8Array) {
    return JSON.stringify(toWireValue(output));
  }
  const rest: Record<string, unknown> = {};
  let blobs = '';
  for (const [name, member] of Object.entries(output)) {
    if (member instanceof Uint8Array) blobs += `,${JSON.stringify(name)}:"${toWireValue(member) as string}"`;
    else if (member !== undefined) rest[name] = toWireValue(member);
  }
  const json = JSON.stringify(rest);
  if (blobs === '') return json;
  return json === '{}' ? `{${blobs.slice(1)}}` : `${json.slice(0, -1)}${blobs}}`;
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

/**
 * A JSON-protocol request body as a JSON object (an empty body is `{}`, as AWS's JSON protocols accept).
 * Throws `SerializationException` when it is not JSON or not an object; the message never quotes the body.
 */
export function parseJsonObjectBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationException('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationException('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
