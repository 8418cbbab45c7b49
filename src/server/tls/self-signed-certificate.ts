import { execFile } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepareDataDirectory, writePrivateFile } from '../data-directory.js';
import { pathExists } from '../path-exists.js';

const generateKeyPairAsync = promisify(generateKeyPair);
const execFileAsync = promisify(execFile);

/** Where `--tls-self-signed` keeps its certificate and key inside the data directory. */
export function selfSignedCertificatePaths(dataDir: string): { readonly certFile: string; readonly keyFile: string } {
  return { certFile: join(dataDir, 'tls.crt'), keyFile: join(dataDir, 'tls.key') };
}

export interface SelfSignedOptions {
  /** The openssl executable (replaced by tests to simulate its absence). */
  readonly openssl?: string;
}

/**
 * Returns the data directory's self-signed certificate, generating it at first use: a P-256 key (node:crypto)
 * and an X.509 certificate for 127.0.0.1 and localhost valid 825 days, built by the `openssl` CLI because
 * node:crypto cannot issue certificates. Both files are written atomically with mode 0600; the key first, so
 * an existing `tls.crt` always has its `tls.key`. Call it in one process only (the primary): two processes
 * generating at once would each write their own pair.
 *
 * @example
 *   const { certFile, keyFile } = await ensureSelfSignedCertificate('/var/lib/strongroom');
 */
export async function ensureSelfSignedCertificate(
  dataDir: string,
  options: SelfSignedOptions = {},
): Promise<{ readonly certFile: string; readonly keyFile: string }> {
  const paths = selfSignedCertificatePaths(dataDir);
  if ((await pathExists(paths.certFile)) && (await pathExists(paths.keyFile))) return paths;
  await prepareDataDirectory(dataDir);
  const { privateKey } = await generateKeyPairAsync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writePrivateFile(paths.keyFile, privateKey);
  await writePrivateFile(paths.certFile, await issueCertificate(paths.keyFile, options.openssl ?? 'openssl'));
  return paths;
}

/** Runs `openssl req -x509` over the key file and returns the PEM certificate it prints. */
async function issueCertificate(keyFile: string, openssl: string): Promise<string> {
  const args = [
    'req', '-x509', '-new', '-key', keyFile, '-sha256', '-days', '825',
    '-subj', '/CN=strongroom', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ];
  try {
    const { stdout } = await execFileAsync(openssl, args, { timeout: 30_000, encoding: 'utf8' });
    if (!stdout.includes('-----BEGIN CERTIFICATE-----')) throw new Error('it printed no certificate');
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`--tls-self-signed needs the openssl command-line tool to build the certificate; "${openssl}" was not found`);
    }
    // openssl's stderr names the failing step; it never contains the key (which it only reads from the file).
    const stderr = (error as { stderr?: unknown }).stderr;
    const reason = typeof stderr === 'string' && stderr.trim() ? stderr.trim() : error instanceof Error ? error.message : String(error);
    throw new Error(`openssl could not create the self-signed certificate: ${reason}`);
  }
}

