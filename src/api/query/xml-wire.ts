import type { KmsError } from '../../errors.js';
import type { WireResponse } from '../http/wire-request.js';

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] ?? character);
}

/** A value tree rendered as XML elements: strings become text, objects nested elements, arrays `<member>`s. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { readonly [name: string]: XmlValue };

export function renderXml(value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${renderXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .map(([name, child]) => `<${name}>${renderXml(child)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** An AWS query-protocol response: `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata/>`. */
export function xmlResponse(requestId: string, action: string, namespace: string, result: XmlValue): WireResponse {
  const body =
    `<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${renderXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** The one place a query-protocol error becomes a response. */
export function xmlErrorResponse(requestId: string, namespace: string, error: KmsError): WireResponse {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(error.type)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
