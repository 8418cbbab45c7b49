import { Duplex } from 'node:stream';

/**
 * One of the Encryption SDK's streams (encrypt or decrypt), inside a Node duplex that passes data both ways
 * with backpressure but never destroys it.
 *
 * Why: `stream.pipeline` destroys every stream when one fails (stdout's reader went away, IN could not be
 * read), and the SDK's encrypt stream, destroyed mid-message, throws "Premature close" as an uncaught
 * exception (inside, it pipes two streams with readable-stream's `pipeline` and no callback, whose default
 * callback throws), which would crash the CLI with a stack trace instead of reporting the failure. The command
 * exits right after a failure, so leaving the SDK's stream undestroyed costs nothing; its own errors still
 * reach the pipeline through this wrapper.
 */
export function containedSdkStream(sdk: Duplex): Duplex {
  const contained = new Duplex({
    write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
      if (sdk.write(chunk)) callback();
      else sdk.once('drain', () => callback());
    },
    final(callback: (error?: Error | null) => void) {
      sdk.end();
      callback();
    },
    read() {
      sdk.resume();
    },
    destroy(error: Error | null, callback: (error?: Error | null) => void) {
      callback(error);
    },
  });
  sdk.on('data', (chunk: Buffer) => {
    if (!contained.push(chunk)) sdk.pause();
  });
  sdk.once('end', () => contained.push(null));
  sdk.on('error', (error: Error) => contained.destroy(error));
  return contained;
}
