import type { SecretBytes } from '../../crypto/secret-bytes.js';
import type { KeyScope, Tag } from '../../keys/key.js';
import type { KeySpec, KeyUsage } from '../../keys/key-spec.js';
import type { GivenMaterial } from './given-material.js';

/**
 * A seed file once read and checked (`parse-seed-file.ts`): every value valid on its own and together, with
 * each entry's path in the file (`keys[2]`) so that whatever goes wrong later can still name it. The format
 * is described in docs/seeding.md. Secrets (access key secrets, key material) are `SecretBytes`; `wipe()`
 * clears them once the document has been applied.
 */
export interface SeedDocument {
  /** The file it came from (for messages). */
  readonly source: string;
  readonly accounts: readonly SeedAccount[];
  readonly keys: readonly SeedKey[];
  /** Overwrites every secret the document holds. */
  wipe(): void;
}

export interface SeedAccount {
  readonly path: string;
  readonly id: string;
  /** Long-term access keys of the account's root principal. */
  readonly accessKeys: readonly SeedAccessKey[];
}

export interface SeedAccessKey {
  readonly path: string;
  readonly accessKeyId: string;
  readonly secret: SecretBytes;
}

export interface SeedKey {
  readonly path: string;
  readonly scope: KeyScope;
  readonly id: string;
  readonly spec: KeySpec;
  readonly usage: KeyUsage;
  readonly description: string;
  readonly enabled: boolean;
  readonly aliases: readonly SeedAlias[];
  readonly tags: readonly Tag[];
  /** The key policy document; absent: the default key policy of the key's account. */
  readonly policy?: string;
  readonly rotation: { readonly enabled: boolean; readonly periodInDays: number };
  /** Material versions, oldest first, the last one current; empty: the server generates the material. */
  readonly materials: readonly SeedMaterial[];
}

export interface SeedAlias {
  readonly path: string;
  /** `alias/...` */
  readonly name: string;
}

export interface SeedMaterial {
  readonly path: string;
  readonly material: GivenMaterial;
}

/** What `--seed` and `strongroom seed` did, for the line they print. */
export interface SeedOutcome {
  readonly accountsCreated: number;
  readonly accessKeysCreated: number;
  readonly keysCreated: number;
  readonly materialVersionsAdded: number;
  readonly aliasesCreated: number;
  /** Keys of the file that were there already and needed nothing. */
  readonly keysUnchanged: number;
  /** What the file says differently from a key that exists, left as it is (`keys[1]: ... description differs`). */
  readonly notes: readonly string[];
}
