import { request as httpsRequest, Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { signRequest } from '../auth/sigv4/signer.js';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import { isXksErrorName, XKS_SIGNING_SERVICE, type XksErrorName } from './xks-wire.js';

/**
 * The KMS side of the XKS proxy API: one signed HTTPS POST to a proxy, bounded in time, its answer parsed as JSON
 * or classified as one of the failures the specification's "KMS Considerations" table distinguishes. What each
 * failure means to a caller depends on the KMS operation (`service/external-key-stores/xks-failures.ts`).
 */

/** Where a store's proxy is, and the credential it is called with. */
export interface XksProxyTarget {
  /** `https://host[:port]`. */
  readonly uriEndpoint: string;
  /** `[/prefix]/kms/xks/v1`. */
  readonly uriPath: string;
  readonly accessKeyId: string;
  readonly secret: SecretBytes;
  /** The region the calling KMS serves: the SigV4 scope's region, as AWS signs. */
  readonly region: string;
}

/** Why a call to a proxy gave no usable answer. */
export type XksFailureKind =
  /** The proxy answered with one of the specification's error names (`errorName`). */
  | 'proxy-error'
  /** No TCP connection (refused, DNS, reset). */
  | 'unreachable'
  /** No TLS connection (certificate, handshake). */
  | 'tls'
  /** No answer in the time allowed. */
  | 'timeout'
  /** An answer that is not what the specification says: not JSON, a missing field, a bad size. */
  | 'malformed';

export class XksCallFailure extends Error {
  override readonly name = 'XksCallFailure';

  constructor(
    readonly kind: XksFailureKind,
    message: string,
    readonly errorName?: XksErrorName,
  ) {
    super(message);
  }
}

export interface XksClientOptions {
  /** How long one call may take, connection included (AWS allows 250 ms; a default with room for TLS set-up). */
  readonly timeoutMs?: number;
  /**
   * Certificate authorities trusted besides Node's own and those of `NODE_EXTRA_CA_CERTS` (the operator's way):
   * for tests, whose proxy has a certificate of their own making.
   */
  readonly extraCertificateAuthorities?: string;
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 2_000;
/** A proxy's answer is small (a 4 KB plaintext in Base64 and a few fields); anything much larger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/i;

/** Calls XKS proxies over HTTPS with keep-alive connections; one per node. */
export class XksClient {
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: XksClientOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
    const extra = options.extraCertificateAuthorities;
    // Extra authorities add to Node's own (the bundled store), rather than replace them.
    this.#agent = new Agent({ keepAlive: true, ...(extra !== undefined ? { ca: [...rootCertificates, extra] } : {}) });
  }

  /**
   * POSTs `body` to `{uriEndpoint}{uriPath}/{operation}` (operation: `health`, `keys/{id}/metadata`, ...), signed with
   * SigV4 for `kms-xks-proxy` over `host;x-amz-date` as Appendix A shows, and resolves with the parsed JSON object.
   * @throws XksCallFailure for anything else.
   */
  async call(target: XksProxyTarget, operation: string, body: object): Promise<Record<string, unknown>> {
    const url = new URL(`${target.uriEndpoint}${target.uriPath}/${operation}`);
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
    const signed = signRequest(
      { method: 'POST', path: url.pathname, query: '', headers: { host: url.host }, body: payload },
      { accessKeyId: target.accessKeyId, secret: target.secret, region: target.region, service: XKS_SIGNING_SERVICE, now: this.#now(), signPayloadHash: false },
    );
    const { status, text } = await this.#post(url, { ...headers, ...signed, 'content-length': String(payload.length) }, payload);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new XksCallFailure('malformed', `the proxy answered ${status} with a body that is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new XksCallFailure('malformed', `the proxy answered ${status} with JSON that is not an object`);
    }
    const answer = parsed as Record<string, unknown>;
    if (status === 200) return answer;
    const errorName = answer['errorName'];
    if (isXksErrorName(errorName)) throw new XksCallFailure('proxy-error', `the proxy answered ${status} ${errorName}`, errorName);
    throw new XksCallFailure('malformed', `the proxy answered ${status} without an error name of the specification`);
  }

  close(): void {
    this.#agent.destroy();
  }

  #post(url: URL, headers: Record<string, string>, payload: Buffer): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      if (url.protocol !== 'https:') {
        reject(new XksCallFailure('unreachable', `an XKS proxy is reached over HTTPS only, not ${url.protocol}`));
        return;
      }
      const request = httpsRequest(url, { method: 'POST', headers, agent: this.#agent, timeout: this.#timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) response.destroy(new XksCallFailure('malformed', 'the proxy answered with more than 64 KiB'));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(classify(error)));
      });
      // The whole call, not only idle time, is bounded: a proxy that trickles bytes is as late as one that is silent.
      const deadline = setTimeout(() => request.destroy(new XksCallFailure('timeout', `no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      request.on('timeout', () => request.destroy(new XksCallFailure('timeout', `no answer within ${this.#timeoutMs} ms`)));
      request.on('error', (error) => reject(classify(error)));
      request.on('close', () => clearTimeout(deadline));
      request.end(payload);
    });
  }
}

function classify(error: Error): XksCallFailure {
  if (error instanceof XksCallFailure) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (TLS_ERROR.test(code) || TLS_ERROR.test(error.message)) return new XksCallFailure('tls', `TLS with the proxy failed: ${code || error.message}`);
  return new XksCallFailure('unreachable', `the proxy cannot be reached: ${code || error.message}`);
}
