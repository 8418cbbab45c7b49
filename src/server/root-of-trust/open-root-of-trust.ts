import { randomBytes } from 'node:crypto';
import { access, readFile, stat } from 'node:fs/promises';
import { RootKey, SCRYPT_PARAMETERS, type ScryptParameters } from '../../crypto/root-key.js';
import type { RootOfTrust, RootOfTrustKind } from '../../crypto/root-of-trust.js';
import type { SettingsRepository } from '../../store/store.js';
import type { RootOfTrustConfig } from './root-of-trust-config.js';
import { readPassphrase } from './passphrase.js';

/**
 * The setting that says what a store's root of trust is, for a passphrase or a PKCS#11 token: the non-secret
 * parameters to open it again (scrypt's salt and cost; the token's label and the key object's label) and its check
 * value (`RootOfTrust.id`). Absent for a store whose root is a key file, as every store was before (a data directory
 * keeps `root.key`; a shared database its `root-key-check`).
 */
export const ROOT_OF_TRUST_SETTING = 'root-of-trust';

export type RootOfTrustRecord =
  | { readonly kind: 'passphrase'; readonly check: string; readonly salt: string; readonly scrypt: ScryptParameters }
  | { readonly kind: 'pkcs11'; readonly check: string; readonly tokenLabel: string; readonly keyLabel: string };

/** Where the root of trust is looked for: the store's settings, and the key file of a file root. */
export interface RootOfTrustPlace {
  readonly settings: SettingsRepository;
  /** The key file of a file root (a data directory's `root.key`); absent on a shared database (its own flag). */
  readonly rootKeyFile?: string;
  /** Whether a root may be made here when there is none yet (a data directory's first start, `init`). */
  readonly mayCreate: boolean;
}

/**
 * Opens the store's root of trust as `config` names it, or makes one on a store that has none yet (when allowed),
 * recording what it is. A root of another kind than the store's, a passphrase whose key does not match the check
 * value, a token without the key: refused with a message that says what to do, before anything is written.
 */
export async function openRootOfTrust(config: RootOfTrustConfig, place: RootOfTrustPlace): Promise<RootOfTrust> {
  const record = await readRootOfTrustRecord(place.settings);
  const hasKeyFile = place.rootKeyFile !== undefined && (await exists(place.rootKeyFile));
  const recordedKind: RootOfTrustKind | undefined = record?.kind ?? (hasKeyFile ? 'file' : undefined);
  if (recordedKind !== undefined && recordedKind !== config.kind) {
    throw new Error(
      `this store's root of trust is ${describeKind(recordedKind)}, not ${describeKind(config.kind)}: start with ` +
        `--root-of-trust ${recordedKind}, or move it with 'strongroom rewrap'`,
    );
  }
  if (config.kind === 'file') {
    if (place.rootKeyFile === undefined) throw new Error('a key file root of trust needs its file (--root-key-file)');
    return place.mayCreate ? RootKey.loadOrCreate(place.rootKeyFile) : RootKey.load(place.rootKeyFile);
  }
  if (record === undefined) {
    if (!place.mayCreate) throw new Error(`this store has no ${describeKind(config.kind)} root of trust yet: run 'strongroom init' first`);
    const { root, record: made } = await createRootOfTrust(config);
    await place.settings.put(ROOT_OF_TRUST_SETTING, JSON.stringify(made));
    return root;
  }
  const root = await reopenRootOfTrust(config, record);
  if (root.id !== record.check) {
    root.destroy();
    throw new Error(
      record.kind === 'pkcs11'
        ? `the key in token ${record.tokenLabel} is not this store's root of trust (check value ${record.check})`
        : 'the passphrase does not match this store\'s root of trust',
    );
  }
  return root;
}

/**
 * A new root of trust of `config`'s kind and the record that opens it again (the caller stores the record): a
 * fresh scrypt salt for a passphrase, a fresh AES key generated in the token for PKCS#11. For `file`, see RootKey.
 */
export async function createRootOfTrust(
  config: Exclude<RootOfTrustConfig, { kind: 'file' }>,
): Promise<{ root: RootOfTrust; record: RootOfTrustRecord }> {
  if (config.kind === 'passphrase') {
    const salt = randomBytes(16);
    const root = await passphraseRoot(config, salt, SCRYPT_PARAMETERS);
    return { root, record: { kind: 'passphrase', check: root.id, salt: salt.toString('base64'), scrypt: SCRYPT_PARAMETERS } };
  }
  const token = await openToken(config);
  try {
    const { Pkcs11RootKey } = await import('../../hsm/pkcs11-root-key.js');
    const key = token.generateAesKey(`strongroom-root-${randomBytes(8).toString('hex')}`);
    const root = new Pkcs11RootKey(token, key);
    return { root, record: { kind: 'pkcs11', check: root.id, tokenLabel: config.tokenLabel, keyLabel: key.label } };
  } catch (error) {
    token.close();
    throw error;
  }
}

export async function readRootOfTrustRecord(settings: SettingsRepository): Promise<RootOfTrustRecord | undefined> {
  const text = await settings.get(ROOT_OF_TRUST_SETTING);
  return text === undefined ? undefined : (JSON.parse(text) as RootOfTrustRecord);
}

async function reopenRootOfTrust(config: Exclude<RootOfTrustConfig, { kind: 'file' }>, record: RootOfTrustRecord): Promise<RootOfTrust> {
  if (config.kind === 'passphrase' && record.kind === 'passphrase') {
    return passphraseRoot(config, Buffer.from(record.salt, 'base64'), record.scrypt);
  }
  if (config.kind === 'pkcs11' && record.kind === 'pkcs11') {
    const token = await openToken(config);
    const key = token.findAesKey(record.keyLabel);
    if (key === undefined) {
      token.close();
      throw new Error(`token ${config.tokenLabel} has no key ${record.keyLabel}: it is not the token this store's root of trust was made in`);
    }
    const { Pkcs11RootKey } = await import('../../hsm/pkcs11-root-key.js');
    return new Pkcs11RootKey(token, key);
  }
  throw new Error(`this store's root of trust is ${describeKind(record.kind)}, not ${describeKind(config.kind)}`);
}

async function passphraseRoot(
  config: Extract<RootOfTrustConfig, { kind: 'passphrase' }>,
  salt: Buffer,
  parameters: ScryptParameters,
): Promise<RootKey> {
  const passphrase = config.passphrase ?? (await readPassphrase(config.passphraseFile));
  try {
    return await RootKey.fromPassphrase(passphrase, salt, parameters);
  } finally {
    if (config.passphrase === undefined) passphrase.wipe();
  }
}

/** The token, logged in with the PIN from its file (loaded only here: a server without PKCS#11 never loads it). */
async function openToken(config: Extract<RootOfTrustConfig, { kind: 'pkcs11' }>) {
  const { openPkcs11Token } = await import('../../hsm/pkcs11-token.js');
  const pin = await readPinFile(config.pinFile);
  return openPkcs11Token({ modulePath: config.modulePath, tokenLabel: config.tokenLabel, pin });
}

async function readPinFile(path: string): Promise<string> {
  let text: string;
  try {
    if (((await stat(path)).mode & 0o077) !== 0) throw new Error(`PIN file ${path} is accessible by group or others; run chmod 600 on it`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code) throw error;
    throw new Error(`PIN file ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const pin = text.replace(/\r?\n$/, '');
  if (pin === '') throw new Error(`PIN file ${path} is empty`);
  return pin;
}

function describeKind(kind: RootOfTrustKind): string {
  return { file: 'a key file', passphrase: 'a passphrase', pkcs11: 'a PKCS#11 token' }[kind];
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
