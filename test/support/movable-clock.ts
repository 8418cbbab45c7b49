import { KMSClient } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

/** A test server whose clock a test moves forward, for background jobs (expiry, rotation, deletion). */
export interface MovableClock {
  readonly server: TestServer;
  /**
   * A KMS client signing with the server's clock, wherever it has been moved (SigV4 refuses a request outside
   * the skew window, and the SDK would sign with the real clock).
   */
  kms(region?: string): KMSClient;
  /** The server's time, epoch ms. */
  now(): number;
  moveBy(ms: number): void;
}

/**
 * Starts a server with a movable clock, runs `test` with it, then stops the server and every client made.
 *
 * @example
 *   await withMovableClock({}, async (clock) => {
 *     clock.moveBy(8 * DAY);
 *     await clock.server.node.runDueJobs();
 *   });
 */
export async function withMovableClock(
  options: Omit<TestServerOptions, 'now'>,
  test: (clock: MovableClock) => Promise<void>,
): Promise<void> {
  let shift = 0;
  const server = await startTestServer({ ...options, now: () => Date.now() + shift });
  const clients: KMSClient[] = [];
  try {
    await test({
      server,
      kms(region = 'us-east-1') {
        const client = new KMSClient({ endpoint: server.endpoint, region, credentials: server.credentials, maxAttempts: 1 });
        // The SDK corrects its offset from each response's Date header, which is real time, not the moved clock:
        // the offset stays the test's.
        Object.defineProperty(client.config, 'systemClockOffset', { get: () => shift, set: () => undefined });
        clients.push(client);
        return client;
      },
      now: () => Date.now() + shift,
      moveBy(ms) {
        shift += ms;
      },
    });
  } finally {
    for (const client of clients) client.destroy();
    await server.stop();
  }
}
