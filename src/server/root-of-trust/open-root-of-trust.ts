import { randomBytes } from 'node:crypto';
import { RootKey, SCRYPT_PARAMETERS, type ScryptParameters } from '../../crypto/root-key.js';
import type { RootOfTrust, RootOfTrustKind } from '../../crypto/root-of-trust.js';
import { ROOT_KEY_CHECK_SETTING, type SettingsRepository } from '../../store/store.js';
import type { RootOfTrustConfig } from './root-of-trust-config.js';
import { readPassphrase, readSecretFile } from './passphrase.js';
import { pathExists } from '../path-exists.js';

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
 * recording what it is and its check value (`ROOT_KEY_CHECK_SETTING`, `RootOfTrust.id`). A root of another kind
 * than the store's, a root whose id is not the check value (another key file, a wrong passphrase, another token's
 * key), a store that has a check value but lost its key file: refused with a message that says what to do, before
 * anything is written or created.
 */
export async function openRootOfTrust(config: RootOfTrustConfig, place: RootOfTrustPlace): Promise<RootOfTrust> {
  const record = await readRootOfTrustRecord(place.settings);
  const check = await place.settings.get(ROOT_KEY_CHECK_SETTING);
  const hasKeyFile = place.rootKeyFile !== undefined && (await pathExists(place.rootKeyFile));
  // A store with a check value but neither record nor key file was made with a key file that is now missing.
  const recordedKind: RootOfTrustKind | undefined = record?.kind ?? (hasKeyFile || check !== undefined ? 'file' : undefined);
  if (recordedKind !== undefined && recordedKind !== config.kind) {
    throw new Error(
      `this store's root of trust is ${describeKind(recordedKind)}, not ${describeKind(config.kind)}: start with ` +
        `--root-of-trust ${recordedKind}, or move it with 'strongroom rewrap'`,
    );
  }
  const root = await openOrCreate(config, place, record, check, hasKeyFile);
  if (check !== undefined && root.id !== check) {
    root.destroy();
    throw new Error(mismatch(record, check));
  }
  // The check value is written on a store's first start (and on older stores that predate it).
  if (check === undefined) await place.settings.put(ROOT_KEY_CHECK_SETTING, root.id);
  return root;
}

async function openOrCreate(
  config: RootOfTrustConfig,
  place: RootOfTrustPlace,
  record: RootOfTrustRecord | undefined,
  check: string | undefined,
  hasKeyFile: boolean,
): Promise<RootOfTrust> {
  if (config.kind === 'file') {
    if (place.rootKeyFile === undefined) throw new Error('a key file root of trust needs its file (--root-key-file)');
    if (!hasKeyFile && check !== undefined) {
      const interrupted = (await pathExists(`${place.rootKeyFile}.new`)) ? ` (${place.rootKeyFile}.new is there: a rewrap was interrupted after it committed; rename it to root.key)` : '';
      throw new Error(`${place.rootKeyFile} is missing: the store was made with it and nothing else opens it${interrupted}`);
    }
    return place.mayCreate ? RootKey.loadOrCreate(place.rootKeyFile) : RootKey.load(place.rootKeyFile);
  }
  if (record !== undefined) return reopenRootOfTrust(config, record);
  if (!place.mayCreate) throw new Error(`this store has no root of trust of kind ${config.kind} yet: run 'strongroom init' first`);
  const { root, record: made } = await createRootOfTrust(config);
  await place.settings.put(ROOT_OF_TRUST_SETTING, JSON.stringify(made));
  return root;
}

function mismatch(record: RootOfTrustRecord | undefined, check: string): string {
  if (record?.kind === 'pkcs11') return `the key in token ${record.tokenLabel} is not this store's root of trust (check value ${check})`;
  if (record?.kind === 'passphrase') return 'the passphrase does not match this store\'s root of trust';
  return `this key file is not this store's root of trust (check value ${check})`;
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
  const pin = await readSecretFile(path, 'PIN file');
  try {
    return pin.expose().toString('utf8'); // the binding takes the PIN as a string
  } finally {
    pin.wipe();
  }
}

function describeKind(kind: RootOfTrustKind): string {
  return { file: 'a key file', passphrase: 'a passphrase', pkcs11: 'a PKCS#11 token' }[kind];
}

