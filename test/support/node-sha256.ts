import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytesOf = (data: SourceData) =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** node:crypto as the hash constructor the AWS SDK's SigV4 signer (@smithy/signature-v4) expects. */
export class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(key?: SourceData) {
    this.#hash = key ? createHmac('sha256', bytesOf(key)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}
