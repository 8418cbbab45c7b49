/**
 * The roots of trust in `npm run bench`: Encrypt (1 KB) and CreateKey on three servers alike but for their root of
 * trust — a key file, a passphrase, a SoftHSM2 token over PKCS#11 — in the same run, each as a share of the key
 * file's throughput. Encrypt reads material from the bounded cache, so every root should serve it alike (issue 14:
 * "an HSM call per cache miss, not per request"); CreateKey wraps new material each time, so it shows what one call
 * into the root costs. A fourth row is a key in a custom key store (on the key-file server, another token): its
 * AES-GCM runs in the token on every request, by design (docs/custom-key-stores.md). The servers run without the
 * audit trail and quotas, whose costs are measured elsewhere and would only add noise here. Without SoftHSM2 the
 * comparison is skipped, saying so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createSoftHsmTokens, softHsm, type SoftHsmToken } from '../test/support/softhsm.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { generateLoad } from './generate-load.js';
import { startProcess, type RunningProcess } from './processes.js';
import { headerRow, resultRow } from './result-row.js';
import { call, createKey, readCredentials } from './bench-client.js';
import { kmsRequest, type KmsCredentials } from './signed-request.js';

const PLAINTEXT = Buffer.alloc(1024, 7).toString('base64');

export interface RootsOfTrustOptions {
  readonly cli: string;
  readonly workers: number;
  readonly durationSeconds: number;
  readonly connections: number;
}

/** Prints Encrypt and CreateKey per root of trust, each run twice in the order file, passphrase, PKCS#11 and back. */
export async function compareRootsOfTrust(options: RootsOfTrustOptions): Promise<void> {
  if (softHsm.skip) {
    console.log(`Roots of trust: skipped (${softHsm.skip})`);
    return;
  }
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-bench-roots-'));
  const [token, storeToken] = createSoftHsmTokens(['bench-root', 'bench-store']) as [SoftHsmToken, SoftHsmToken];
  process.env['SOFTHSM2_CONF'] = token.confPath; // the server processes (and the CLI) inherit it
  const passphraseFile = join(directory, 'passphrase.txt');
  await writeFile(passphraseFile, 'a passphrase for the benchmark only\n', { mode: 0o600 });
  const running: RunningProcess[] = [];
  try {
    const roots: Array<[string, string[]]> = [
      ['key file', []],
      ['passphrase', ['--root-of-trust', 'passphrase', '--passphrase-file', passphraseFile]],
      ['PKCS#11', ['--root-of-trust', 'pkcs11', '--pkcs11-module', token.modulePath,
        '--pkcs11-token-label', token.tokenLabel, '--pkcs11-pin-file', token.pinFile]],
    ];
    const targets = [];
    for (const [name, args] of roots) {
      const dataDir = join(directory, `data-${name.replace(/\W+/g, '-')}`);
      const server = await startProcess(options.cli, ['serve', '--port', '0', '--data-dir', dataDir, '--workers', String(options.workers),
        '--no-audit', '--quotas', 'off', ...args]);
      running.push(server);
      const credentials = await readCredentials(join(dataDir, 'credentials'));
      const keyId = await createKey(server.url, credentials);
      targets.push({
        name,
        url: server.url,
        encrypt: kmsRequest(server.url, credentials, 'Encrypt', { KeyId: keyId, Plaintext: PLAINTEXT }),
        createKey: kmsRequest(server.url, credentials, 'CreateKey', {}),
      });
    }
    const fileRoot = targets[0]!;
    const storeKeyId = await keyInCustomKeyStore(options.cli, join(directory, 'data-key-file'), fileRoot.url, storeToken);
    const fileCredentials = await readCredentials(join(directory, 'data-key-file', 'credentials'));
    const storeTarget = {
      name: 'HSM key store',
      url: fileRoot.url,
      encrypt: kmsRequest(fileRoot.url, fileCredentials, 'Encrypt', { KeyId: storeKeyId, Plaintext: PLAINTEXT }),
    };
    console.log(`Roots of trust (PKCS#11: SoftHSM2): ${options.workers} server processes each, audit trail and quotas off; mean of two runs`);
    console.log(headerRow('root of trust', 'vs file'));
    for (const [operation, pick] of [['Encrypt 1 KB', 'encrypt'], ['CreateKey', 'createKey']] as const) {
      const compared: Array<{ name: string; url: string; request: { headers: Record<string, string>; body: string } }> = [
        ...targets.map((target) => ({ name: target.name, url: target.url, request: target[pick] })),
        ...(pick === 'encrypt' ? [{ name: storeTarget.name, url: storeTarget.url, request: storeTarget.encrypt }] : []),
      ];
      for (const target of compared) await load(target.url, 16, target.request, 1); // warm-up
      const results = new Map<string, LoadResult[]>(compared.map((target) => [target.name, []]));
      for (const target of [...compared, ...[...compared].reverse()]) {
        results.get(target.name)!.push(await load(target.url, options.connections, target.request, options.durationSeconds));
      }
      const file = mean(results.get(compared[0]!.name)!);
      for (const target of compared) {
        const result = mean(results.get(target.name)!);
        const share = `${((100 * result.requestsPerSecond) / file.requestsPerSecond).toFixed(0)}%`;
        console.log(resultRow(`${operation}, ${target.name}`, options.connections, result, share));
      }
    }
  } finally {
    for (const server of running) await server.stop();
    token.remove();
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * A key in a custom key store on `storeToken`, served by the running server of `dataDir`: the cluster registered
 * with the CLI (beside the running server, as an operator would), then the store created and connected through
 * the API.
 */
async function keyInCustomKeyStore(cli: string, dataDir: string, url: string, storeToken: SoftHsmToken): Promise<string> {
  const clusterId = 'cluster-benchstorezzzz';
  execFileSync(process.execPath, [cli, 'hsm', 'register', '--cluster-id', clusterId, '--module', storeToken.modulePath,
    '--token-label', storeToken.tokenLabel, '--data-dir', dataDir], { stdio: 'pipe' });
  const credentials: KmsCredentials = await readCredentials(join(dataDir, 'credentials'));
  const certificate = execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '1', '-subj', '/CN=bench', '-keyout', '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  const { CustomKeyStoreId } = await call(url, credentials, 'CreateCustomKeyStore', {
    CustomKeyStoreName: 'bench', CloudHsmClusterId: clusterId, TrustAnchorCertificate: certificate, KeyStorePassword: storeToken.pin,
  });
  await call(url, credentials, 'ConnectCustomKeyStore', { CustomKeyStoreId });
  const output = await call(url, credentials, 'CreateKey', { CustomKeyStoreId, Origin: 'AWS_CLOUDHSM' });
  return (output['KeyMetadata'] as { KeyId: string }).KeyId;
}

async function load(url: string, connections: number, request: { headers: Record<string, string>; body: string }, durationSeconds: number) {
  const spec: LoadSpec = { url, connections, durationSeconds, ...request };
  return generateLoad(spec);
}

/** Throughput averaged, latencies the worse of the runs. */
function mean(results: readonly LoadResult[]): LoadResult {
  const first = results[0]!;
  return {
    ...first,
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0) / results.length,
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    p50Ms: Math.max(...results.map((result) => result.p50Ms)),
    p99Ms: Math.max(...results.map((result) => result.p99Ms)),
    maxMs: Math.max(...results.map((result) => result.maxMs)),
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  };
}
