import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HsmCluster } from '../../../src/keys/custom-key-store.js';
import type { TestServer } from '../../support/server.js';
import type { SoftHsmToken } from '../../support/softhsm.js';

/**
 * What the custom key store tests share: a trust anchor certificate made by the openssl CLI (the PEM a CloudHSM
 * cluster's `customerCA.crt` would be), and clusters registered straight in the store, as `strongroom hsm
 * register` does (the command has its own test, test/cli/hsm-command.test.ts).
 */

/** A self-signed CA certificate in PEM, made once per run. */
export function trustAnchorPem(): string {
  const directory = mkdtempSync(join(tmpdir(), 'strongroom-ca-'));
  try {
    const certificate = join(directory, 'customerCA.crt');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=Strongroom test customer CA', '-keyout', join(directory, 'ca.key'), '-out', certificate,
    ], { stdio: 'pipe' });
    return readFileSync(certificate, 'utf8');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Registers `token` as HSM cluster `clusterId` on the server's store. */
export async function registerCluster(server: TestServer, clusterId: string, token: SoftHsmToken): Promise<HsmCluster> {
  const cluster: HsmCluster = { clusterId, modulePath: token.modulePath, tokenLabel: token.tokenLabel, registeredAt: Date.now() };
  await server.node.store.keyStores.registerCluster(cluster);
  return cluster;
}

/** The error an SDK call rejects with: its exception name and message. */
export async function failureOf(send: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await send;
  } catch (error) {
    if (error instanceof Error) return { name: error.name, message: error.message };
    throw error;
  }
  throw new Error('the request succeeded');
}
