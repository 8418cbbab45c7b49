import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Throwaway SoftHSM2 tokens for tests, or why there are none.
 *
 * Each token directory has its own `softhsm2.conf` (`directories.tokendir`, `objectstore.backend = file`), named
 * by `SOFTHSM2_CONF`. The library reads that variable once, at `C_Initialize`: a test opening tokens in its own
 * process sets `process.env.SOFTHSM2_CONF = token.confPath` first, and tokens opened together in one process
 * must live in one directory (`createSoftHsmTokens`); a server started as a child gets `env`.
 *
 * @example
 *   describe('PKCS#11', { skip: softHsm.skip }, () => {
 *     const token = createSoftHsmToken();
 *     process.env['SOFTHSM2_CONF'] = token.confPath;
 *     after(() => token.remove());
 *     ... openPkcs11Token({ modulePath: token.modulePath, tokenLabel: token.tokenLabel, pin: token.pin }) ...
 *   });
 */

/** Where Debian (and Homebrew) put the SoftHSM2 module. */
const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

export interface SoftHsmToken {
  /** The SoftHSM2 PKCS#11 module. */
  readonly modulePath: string;
  /** The `softhsm2.conf` naming this token's directory. */
  readonly confPath: string;
  /** What a child process needs to see the token. */
  readonly env: { readonly SOFTHSM2_CONF: string };
  readonly tokenLabel: string;
  /** The user's PIN (random per token). */
  readonly pin: string;
  /** A 0600 file holding the PIN, for `--pkcs11-pin-file`. */
  readonly pinFile: string;
  /** Deletes the token's directory (with every token in it). */
  remove(): void;
}

/** Whether SoftHSM2 is here: `skip` is a message for the test's skip option, or false. */
export const softHsm: { readonly skip: string | false; readonly modulePath: string } = findSoftHsm();

function findSoftHsm(): { skip: string | false; modulePath: string } {
  const modulePath = MODULE_CANDIDATES.find((path) => existsSync(path)) ?? MODULE_CANDIDATES[0]!;
  const missing = [
    ...(onPath('softhsm2-util') ? [] : ['softhsm2-util']),
    ...(existsSync(modulePath) ? [] : ['libsofthsm2.so']),
  ];
  if (missing.length === 0) return { skip: false, modulePath };
  const message = `no SoftHSM2 (${missing.join(' and ')} not found): install Debian's softhsm2 package`;
  if (process.env['STRONGROOM_REQUIRE_SOFTHSM'] === '1' || process.env['CI'] === 'true') {
    throw new Error(`${message}, and this run requires SoftHSM2 (STRONGROOM_REQUIRE_SOFTHSM=1 or CI=true)`);
  }
  return { skip: message, modulePath };
}

/** A new token in a new directory of its own. */
export function createSoftHsmToken(label = randomLabel()): SoftHsmToken {
  const [token] = createSoftHsmTokens([label]);
  return token!;
}

/**
 * New tokens in one new directory (one `softhsm2.conf`), so that one process can open them all; `remove()` of
 * any of them deletes the directory with all of them.
 */
export function createSoftHsmTokens(labels: readonly string[]): SoftHsmToken[] {
  const directory = mkdtempSync(join(tmpdir(), 'strongroom-softhsm-'));
  const removeNow = () => rmSync(directory, { recursive: true, force: true });
  const remove = () => {
    process.removeListener('exit', removeNow);
    removeNow();
  };
  // A backstop: a run that dies before its `after` hook still leaves no token behind.
  process.once('exit', removeNow);
  try {
    const confPath = writeConf(directory);
    return labels.map((label) => initToken(directory, confPath, label, remove));
  } catch (error) {
    remove();
    throw error;
  }
}

function writeConf(directory: string): string {
  const tokenDirectory = join(directory, 'tokens');
  mkdirSync(tokenDirectory, { mode: 0o700 });
  const confPath = join(directory, 'softhsm2.conf');
  writeFileSync(confPath, `directories.tokendir = ${tokenDirectory}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  return confPath;
}

function initToken(directory: string, confPath: string, label: string, remove: () => void): SoftHsmToken {
  const pin = randomBytes(8).toString('hex');
  const soPin = randomBytes(8).toString('hex');
  const env = { SOFTHSM2_CONF: confPath };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  const pinFile = join(directory, `${label.replace(/[^A-Za-z0-9_-]/g, '_')}-${randomBytes(4).toString('hex')}.pin`);
  writeFileSync(pinFile, pin, { mode: 0o600 });
  return { modulePath: softHsm.modulePath, confPath, env, tokenLabel: label, pin, pinFile, remove };
}

/** A label of at most 32 bytes (a token label's size), different on every call. */
function randomLabel(): string {
  return `strongroom-${randomBytes(6).toString('hex')}`;
}

function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}
