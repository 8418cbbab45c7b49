/** A request as the transport received it: everything the API layer needs, nothing of node:http. */
export interface WireRequest {
  readonly method: string;
  /** The raw path before '?'. */
  readonly path: string;
  /** The raw query string after '?', '' if none. */
  readonly query: string;
  /** Lower-cased header names, as node:http gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  /** Present when the request came over TLS (it is then `aws:SecureTransport`). */
  readonly tls?: TlsFacts;
}

/** The negotiated TLS session of a request, as CloudTrail's `tlsDetails` reports it. */
export interface TlsFacts {
  /** e.g. `TLSv1.3`. */
  readonly version: string;
  /** The IANA name, e.g. `TLS_AES_128_GCM_SHA256`. */
  readonly cipherSuite: string;
  /** The Host header the client sent ('' if none). */
  readonly host: string;
  /**
   * True when the client presented a certificate that the listener verified against its client CA (`--xks-client-ca`,
   * docs/xks-proxy.md); absent otherwise. Connections presenting one that does not verify are closed before any request.
   */
  readonly clientCertificateVerified?: true;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function headerValue(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
