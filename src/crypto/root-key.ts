import { createHash, hkdfSync, randomBytes, scrypt } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GCM_IV_BYTES, GCM_TAG_BYTES, openAesGcm, sealAesGcm } from './aead.js';
import { CryptoInputError, DecryptionFailedError, RootKeyFileError, UnwrapFailedError } from './crypto-errors.js';
import type { RootOfTrust, RootOfTrustKind } from './root-of-trust.js';
import { SecretBytes } from './secret-bytes.js';

/**
 * The root of trust: wraps every stored key material version (AES-256-GCM) so material never rests in clear.
 *
 * The key file holds 32 random bytes. They are never used directly: HKDF-SHA-256 derives one key for wrapping
 * and another for the public fingerprint `id`, so the fingerprint reveals nothing usable about the wrapping
 * key and a future purpose gets its own derived key.
 *
 * Wrapped format, version 1: `01 | iv (12) | ciphertext | tag (16)`, with AAD chosen by the caller
 * (`buildMaterialAad(keyArn, materialId)`), so a wrapped record cannot be moved to another key or version.
 */

const ROOT_KEY_FILE_BYTES = 32;

/** scrypt's cost parameters: N = 2^17, r = 8, p = 1 (128 MiB, OWASP's recommendation for password storage). */
export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}
export const SCRYPT_PARAMETERS: ScryptParameters = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const WRAPPED_FORMAT_VERSION = 1;
const WRAPPED_OVERHEAD = 1 + GCM_IV_BYTES + GCM_TAG_BYTES;
const HKDF_SALT = Buffer.from('strongroom/root-key/v1', 'utf8');
const WRAPPING_KEY_INFO = Buffer.from('material-wrapping', 'utf8');
const FINGERPRINT_INFO = Buffer.from('fingerprint', 'utf8');
const MATERIAL_AAD_LABEL = Buffer.from('strongroom/key-material/v1', 'utf8');

export class RootKey implements RootOfTrust {
  /** A non-secret fingerprint (16 hex characters) that names this root key in logs, records and the CLI. */
  readonly id: string;
  readonly kind: RootOfTrustKind;
  readonly #wrappingKey: SecretBytes;

  private constructor(fileBytes: Buffer, kind: RootOfTrustKind = 'file') {
    this.kind = kind;
    this.#wrappingKey = SecretBytes.adopt(derive(fileBytes, WRAPPING_KEY_INFO));
    const fingerprintInput = derive(fileBytes, FINGERPRINT_INFO);
    this.id = createHash('sha256').update(fingerprintInput).digest().subarray(0, 8).toString('hex');
    fingerprintInput.fill(0);
  }

  /**
   * Loads the root key file at `path`, or creates it (32 random bytes, mode 0600) when it does not exist.
   * Creation is atomic and never replaces a file: the bytes are written and fsynced under a temporary name,
   * then hard-linked to `path` (which fails if another process created it first — then that key is loaded),
   * and the directory is fsynced so the new name survives a crash.
   *
   * @throws RootKeyFileError when the file is group- or world-accessible, not a regular file or not 32 bytes.
   * @example
   *   const rootKey = await RootKey.loadOrCreate('/var/lib/strongroom/root.key');
   *   const wrapped = rootKey.wrap(material, buildMaterialAad(keyArn, materialId));
   */
  static async loadOrCreate(path: string): Promise<RootKey> {
    try {
      try {
        return await RootKey.#load(path);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
      await createKeyFile(path);
      return await RootKey.#load(path);
    } catch (error) {
      const code = errorCode(error);
      // Name the path and the system's reason (EACCES, ENOENT of the directory, ...) in one place.
      if (code !== undefined) throw new RootKeyFileError(path, `cannot be read or created (${code})`);
      throw error;
    }
  }

  /**
   * Loads the root key file at `path`, which must exist: a node of a shared database never makes a root key of
   * its own (`strongroom init` does, once).
   *
   * @throws RootKeyFileError as `loadOrCreate`, and when the file does not exist.
   */
  static async load(path: string): Promise<RootKey> {
    try {
      return await RootKey.#load(path);
    } catch (error) {
      const code = errorCode(error);
      if (code !== undefined) throw new RootKeyFileError(path, `cannot be read (${code})`);
      throw error;
    }
  }

  /**
   * The root key of a passphrase (`--root-of-trust passphrase`): 32 bytes derived with scrypt from the passphrase
   * and a stored random salt, used as a key file's bytes would be. Off the event loop: scrypt's memory-hard work
   * takes about a second by design (1.3 s measured on the project machine), once per process start.
   */
  static async fromPassphrase(passphrase: SecretBytes, salt: Buffer, parameters: ScryptParameters = SCRYPT_PARAMETERS): Promise<RootKey> {
    const derived = await new Promise<Buffer>((resolve, reject) => {
      scrypt(passphrase.expose(), salt, ROOT_KEY_FILE_BYTES, { ...parameters, maxmem: 256 * 1024 * 1024 }, (error, key) =>
        error ? reject(error) : resolve(key),
      );
    });
    try {
      return new RootKey(derived, 'passphrase');
    } finally {
      derived.fill(0);
    }
  }

  /** A root key from raw bytes, for tests. The caller keeps ownership of `bytes`. */
  static fromBytes(bytes: SecretBytes): RootKey {
    if (bytes.length !== ROOT_KEY_FILE_BYTES) {
      throw new CryptoInputError(`root key must be ${ROOT_KEY_FILE_BYTES} bytes`);
    }
    return new RootKey(bytes.expose());
  }

  /** Encrypts `secret` (key material) bound to `aad`. The result is safe to store. */
  wrap(secret: SecretBytes, aad: Buffer): Buffer {
    const { iv, ciphertext, tag } = sealAesGcm(this.#wrappingKey, secret.expose(), aad);
    return Buffer.concat([Buffer.of(WRAPPED_FORMAT_VERSION), iv, ciphertext, tag]);
  }

  /**
   * Recovers what `wrap` encrypted under the same `aad`.
   * @throws UnwrapFailedError when the record is malformed, was wrapped by another root key, was altered, or
   *   is presented with another AAD (another key ARN or material id).
   */
  unwrap(wrapped: Buffer, aad: Buffer): SecretBytes {
    if (wrapped.length < WRAPPED_OVERHEAD || wrapped[0] !== WRAPPED_FORMAT_VERSION) {
      throw new UnwrapFailedError('wrapped secret is malformed or of an unknown format version');
    }
    const ivEnd = 1 + GCM_IV_BYTES;
    const tagStart = wrapped.length - GCM_TAG_BYTES;
    try {
      return openAesGcm(
        this.#wrappingKey,
        wrapped.subarray(1, ivEnd),
        wrapped.subarray(ivEnd, tagStart),
        wrapped.subarray(tagStart),
        aad,
      );
    } catch (error) {
      if (!(error instanceof DecryptionFailedError)) throw error;
      throw new UnwrapFailedError(`wrapped secret does not authenticate under root key ${this.id}`);
    }
  }

  /** Wipes the derived wrapping key; the root key is unusable afterwards (wrap and unwrap throw). */
  destroy(): void {
    this.#wrappingKey.wipe();
  }

  static async #load(path: string): Promise<RootKey> {
    const file = await open(path, 'r');
    try {
      // fstat on the open handle: the checked file is the read file, whatever happens to the path meanwhile.
      const stats = await file.stat();
      if (!stats.isFile()) throw new RootKeyFileError(path, 'is not a regular file');
      if ((stats.mode & 0o077) !== 0) {
        const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
        throw new RootKeyFileError(path, `is accessible by group or others (mode ${mode}); run chmod 600 on it`);
      }
      if (stats.size !== ROOT_KEY_FILE_BYTES) {
        throw new RootKeyFileError(path, `must be exactly ${ROOT_KEY_FILE_BYTES} bytes, found ${stats.size}`);
      }
      const bytes = Buffer.alloc(ROOT_KEY_FILE_BYTES);
      const { bytesRead } = await file.read(bytes, 0, ROOT_KEY_FILE_BYTES, 0);
      try {
        if (bytesRead !== ROOT_KEY_FILE_BYTES) throw new RootKeyFileError(path, 'could not be read in full');
        return new RootKey(bytes);
      } finally {
        bytes.fill(0);
      }
    } finally {
      await file.close();
    }
  }
}

/**
 * The AAD that binds a wrapped material record to its key and version:
 * `label:u16be-prefixed ‖ keyArn:u16be-prefixed UTF-8 ‖ materialId:u16be-prefixed ASCII`.
 *
 * @example
 *   rootKey.unwrap(record.wrapped, buildMaterialAad(record.keyArn, record.id));
 */
export function buildMaterialAad(keyArn: string, materialId: string): Buffer {
  const parts = [MATERIAL_AAD_LABEL, Buffer.from(keyArn, 'utf8'), Buffer.from(materialId, 'utf8')];
  const out = Buffer.allocUnsafe(parts.reduce((size, part) => size + 2 + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    if (part.length > 0xffff) throw new CryptoInputError('material AAD field is longer than 65535 bytes');
    offset = out.writeUInt16BE(part.length, offset);
    offset += part.copy(out, offset);
  }
  return out;
}

function derive(fileBytes: Buffer, info: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', fileBytes, HKDF_SALT, info, 32));
}

async function createKeyFile(path: string): Promise<void> {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const bytes = randomBytes(ROOT_KEY_FILE_BYTES);
  try {
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await link(temporary, path);
    } catch (error) {
      // Another process created the key first: keep and load theirs, never replace it.
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  } finally {
    bytes.fill(0);
    await unlink(temporary).catch(() => undefined);
  }
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** The `code` of a file-system error (`ENOENT`, `EACCES`, ...), or undefined for any other error. */
function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
