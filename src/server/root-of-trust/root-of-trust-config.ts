import { resolve } from 'node:path';
import type { SecretBytes } from '../../crypto/secret-bytes.js';

/**
 * Which root of trust a server, `init`, `rewrap` or a CLI command opens (`--root-of-trust`, docs/roots-of-trust.md):
 * - `file`: 32 random bytes in `root.key` (the data directory's, or `--root-key-file` beside a shared database);
 * - `passphrase`: a key derived with scrypt from a passphrase (`--passphrase-file`, or typed at a prompt), the store
 *   keeping only the salt and a check value;
 * - `pkcs11`: an AES-256 key generated inside a PKCS#11 token, which never leaves it.
 */
export type RootOfTrustConfig =
  | { readonly kind: 'file' }
  | {
      readonly kind: 'passphrase';
      readonly passphraseFile?: string;
      /** The passphrase itself, once read (a worker receives it from its primary): never from the command line. */
      readonly passphrase?: SecretBytes;
    }
  | { readonly kind: 'pkcs11'; readonly modulePath: string; readonly tokenLabel: string; readonly pinFile: string };

/** The `parseArgs` options every command that opens a root of trust accepts. */
export const ROOT_OF_TRUST_OPTIONS = {
  'root-of-trust': { type: 'string' },
  'passphrase-file': { type: 'string' },
  'pkcs11-module': { type: 'string' },
  'pkcs11-token-label': { type: 'string' },
  'pkcs11-pin-file': { type: 'string' },
} as const;

export interface RootOfTrustFlags {
  readonly 'root-of-trust'?: string | undefined;
  readonly 'passphrase-file'?: string | undefined;
  readonly 'pkcs11-module'?: string | undefined;
  readonly 'pkcs11-token-label'?: string | undefined;
  readonly 'pkcs11-pin-file'?: string | undefined;
}

/**
 * The root of trust the flags (or the environment: `STRONGROOM_ROOT_OF_TRUST`, `STRONGROOM_PASSPHRASE_FILE`,
 * `STRONGROOM_PKCS11_MODULE`, `STRONGROOM_PKCS11_TOKEN_LABEL`, `STRONGROOM_PKCS11_PIN_FILE`) name; `file` by default.
 * Throws a usage message for a missing or stray flag.
 */
export function readRootOfTrustConfig(values: RootOfTrustFlags, env: NodeJS.ProcessEnv = process.env): RootOfTrustConfig {
  const read = (flag: keyof RootOfTrustFlags, variable: string): string | undefined => {
    const value = values[flag] ?? env[variable];
    return value === '' ? undefined : value;
  };
  const kind = read('root-of-trust', 'STRONGROOM_ROOT_OF_TRUST') ?? 'file';
  const passphraseFile = read('passphrase-file', 'STRONGROOM_PASSPHRASE_FILE');
  const modulePath = read('pkcs11-module', 'STRONGROOM_PKCS11_MODULE');
  const tokenLabel = read('pkcs11-token-label', 'STRONGROOM_PKCS11_TOKEN_LABEL');
  const pinFile = read('pkcs11-pin-file', 'STRONGROOM_PKCS11_PIN_FILE');
  const stray = (flags: Array<[string, string | undefined]>) => {
    const given = flags.filter(([, value]) => value !== undefined).map(([flag]) => `--${flag}`);
    if (given.length > 0) throw new Error(`${given.join(', ')} ${given.length > 1 ? 'go' : 'goes'} with another --root-of-trust than ${kind}`);
  };
  switch (kind) {
    case 'file':
      stray([['passphrase-file', passphraseFile], ['pkcs11-module', modulePath], ['pkcs11-token-label', tokenLabel], ['pkcs11-pin-file', pinFile]]);
      return { kind };
    case 'passphrase':
      stray([['pkcs11-module', modulePath], ['pkcs11-token-label', tokenLabel], ['pkcs11-pin-file', pinFile]]);
      return passphraseFile === undefined ? { kind } : { kind, passphraseFile: resolve(passphraseFile) };
    case 'pkcs11': {
      stray([['passphrase-file', passphraseFile]]);
      const missing = [['pkcs11-module', modulePath], ['pkcs11-token-label', tokenLabel], ['pkcs11-pin-file', pinFile]]
        .filter(([, value]) => value === undefined)
        .map(([flag]) => `--${flag}`);
      if (missing.length > 0) throw new Error(`--root-of-trust pkcs11 needs ${missing.join(', ')}`);
      return { kind, modulePath: resolve(modulePath!), tokenLabel: tokenLabel!, pinFile: resolve(pinFile!) };
    }
    default:
      throw new Error(`invalid --root-of-trust ${kind}: file, passphrase or pkcs11`);
  }
}
