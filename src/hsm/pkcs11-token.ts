import { randomBytes } from 'node:crypto';
import type * as pkcs11js from 'pkcs11js';
import { Pkcs11DecryptionFailed, Pkcs11Error, pkcs11Failure, returnValueOf } from './pkcs11-errors.js';
import { logInAsUser } from './pkcs11-login.js';
import { acquirePkcs11Module, type Pkcs11Module } from './pkcs11-module.js';
import { findTokenSlot, requireTokenLabel } from './pkcs11-token-lookup.js';

export { Pkcs11DecryptionFailed, Pkcs11Error, type Pkcs11Problem } from './pkcs11-errors.js';

/**
 * A logged-in read/write session on one PKCS#11 token, and the AES-256-GCM operations Strongroom runs inside
 * it: generating non-extractable keys, finding and destroying them, sealing and opening with them.
 * The calls are synchronous (pkcs11js's), as the token serialises a session's operations anyway.
 * A session the token drops (it restarted, a network HSM reconnected) is opened again by the next operation.
 */

export interface Pkcs11TokenOptions {
  /** The PKCS#11 module (shared library), e.g. `/usr/lib/softhsm/libsofthsm2.so`. */
  readonly modulePath: string;
  /** The token's label, without the blank padding to 32 characters. */
  readonly tokenLabel: string;
  /** The user's PIN, for `C_Login`: kept in memory while the token is open (a lost session logs in again); never in a message. */
  readonly pin: string;
}

/** A secret key object in the token, named by its `CKA_LABEL` and `CKA_ID`. */
export interface Pkcs11Key {
  readonly label: string;
  /** CKA_ID */
  readonly id: Buffer;
}

export interface Pkcs11Token {
  readonly tokenLabel: string;
  readonly serialNumber: string;
  findAesKey(label: string): Pkcs11Key | undefined;
  /**
   * A new AES-256 secret key object in the token: CKA_TOKEN, CKA_SENSITIVE, not CKA_EXTRACTABLE,
   * CKA_ENCRYPT/DECRYPT, with `id` as CKA_ID (a random 16 bytes when not given).
   */
  generateAesKey(label: string, id?: Buffer): Pkcs11Key;
  /** `length` bytes from the token's random number generator (C_GenerateRandom). */
  generateRandom(length: number): Buffer;
  destroyKey(key: Pkcs11Key): void;
  /** AES-256-GCM inside the token (CKM_AES_GCM): `iv` 12 bytes, 128-bit tag appended to the returned ciphertext. */
  encryptAesGcm(key: Pkcs11Key, iv: Buffer, aad: Buffer, plaintext: Buffer): Buffer;
  /** Throws Pkcs11DecryptionFailed (one message for every cause) when the tag does not verify. */
  decryptAesGcm(key: Pkcs11Key, iv: Buffer, aad: Buffer, ciphertextWithTag: Buffer): Buffer;
  close(): void;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 16;

/**
 * Return values of `C_Decrypt` that mean "this ciphertext does not open under this key": the standard ones, and
 * CKR_GENERAL_ERROR, which is what SoftHSM2 answers for a tag that does not verify.
 */
const DECRYPTION_FAILURES = new Set([
  'CKR_ENCRYPTED_DATA_INVALID',
  'CKR_ENCRYPTED_DATA_LEN_RANGE',
  'CKR_AEAD_DECRYPT_FAILED',
  'CKR_GENERAL_ERROR',
]);

/**
 * Loads the module with a dynamic import('pkcs11js') (so servers that never use PKCS#11 never load the native
 * addon), C_Initialize, finds the token by label, opens an RW session, logs in as user.
 *
 * @example
 *   const token = await openPkcs11Token({ modulePath, tokenLabel: 'strongroom', pin });
 *   try {
 *     const key = token.findAesKey('root') ?? token.generateAesKey('root');
 *     const sealed = token.encryptAesGcm(key, iv, aad, plaintext);
 *   } finally {
 *     token.close();
 *   }
 */
export async function openPkcs11Token(options: Pkcs11TokenOptions): Promise<Pkcs11Token> {
  const { modulePath, tokenLabel, pin } = options;
  requireTokenLabel(tokenLabel);
  const module = await acquirePkcs11Module(modulePath);
  try {
    const { slot, serialNumber } = findTokenSlot(module, tokenLabel);
    // Kept for the token's life (in memory only), so that a session the token lost can be opened again.
    const connect = (): Connection => {
      const { CKF_SERIAL_SESSION, CKF_RW_SESSION } = module.binding;
      const session = call(`C_OpenSession on token "${tokenLabel}"`, () => module.cryptoki.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION));
      try {
        return { session, logOut: logInAsUser(module, slot, session, pin, tokenLabel) };
      } catch (error) {
        closeSession(module, session);
        throw error;
      }
    };
    return new OpenPkcs11Token(module, connect, tokenLabel, serialNumber);
  } catch (error) {
    module.release();
    throw error;
  }
}

/** A logged-in session, and what to call once it is closed. */
interface Connection {
  readonly session: Buffer;
  readonly logOut: () => void;
}

/**
 * Cryptoki return values that mean the session is gone, not the operation wrong: the token dropped it (restarted,
 * removed, every session closed), or logged it out. The session is opened again, and the operation, when doing it
 * twice changes nothing, tried once more.
 */
const SESSION_LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
]);

class OpenPkcs11Token implements Pkcs11Token {
  /** Object handles are valid for the session's life; cached so that an operation is two calls, not five. */
  private readonly handles = new Map<string, Buffer>();
  private open = true;
  /** The session, or undefined after it was lost and opening another failed (the next operation tries again). */
  private connection: Connection | undefined;

  constructor(
    private readonly module: Pkcs11Module,
    private readonly connect: () => Connection,
    readonly tokenLabel: string,
    readonly serialNumber: string,
  ) {
    this.connection = connect();
  }

  private get session(): Buffer {
    this.requireOpen();
    this.connection ??= this.connect();
    return this.connection.session;
  }

  findAesKey(label: string): Pkcs11Key | undefined {
    return this.surviving(() => {
      const [handle, ...others] = this.findSecretKeys(label);
      if (handle === undefined) return undefined;
      if (others.length > 0) {
        throw new Pkcs11Error('KEY_NOT_FOUND', `${others.length + 1} AES keys are labelled "${label}" in token "${this.tokenLabel}": the label must name one`);
      }
      const { CKA_ID } = this.module.binding;
      const [attribute] = this.call(`C_GetAttributeValue of key "${label}"`, () =>
        this.module.cryptoki.C_GetAttributeValue(this.session, handle, [{ type: CKA_ID }]),
      );
      const key: Pkcs11Key = Object.freeze({ label, id: Buffer.from(attribute?.value ?? Buffer.alloc(0)) });
      this.handles.set(handleCacheKey(key), handle);
      return key;
    }, true);
  }

  generateAesKey(label: string, id: Buffer = randomBytes(KEY_ID_BYTES)): Pkcs11Key {
    if (label === '') throw new RangeError('a PKCS#11 key needs a label');
    if (id.length === 0) throw new RangeError('a PKCS#11 key needs a non-empty CKA_ID');
    return this.surviving(() => {
      const b = this.module.binding;
      const key: Pkcs11Key = Object.freeze({ label, id: Buffer.from(id) });
      const template: pkcs11js.Template = [
        { type: b.CKA_CLASS, value: b.CKO_SECRET_KEY },
        { type: b.CKA_KEY_TYPE, value: b.CKK_AES },
        { type: b.CKA_VALUE_LEN, value: 32 },
        { type: b.CKA_LABEL, value: label },
        { type: b.CKA_ID, value: key.id },
        { type: b.CKA_TOKEN, value: true },
        { type: b.CKA_PRIVATE, value: true },
        { type: b.CKA_SENSITIVE, value: true },
        { type: b.CKA_EXTRACTABLE, value: false },
        { type: b.CKA_ENCRYPT, value: true },
        { type: b.CKA_DECRYPT, value: true },
        // Only AES-GCM: a key that could wrap or derive could move its own material (or others') out.
        { type: b.CKA_WRAP, value: false },
        { type: b.CKA_UNWRAP, value: false },
        { type: b.CKA_DERIVE, value: false },
      ];
      const handle = this.call(`C_GenerateKey of key "${label}"`, () =>
        this.module.cryptoki.C_GenerateKey(this.session, { mechanism: b.CKM_AES_KEY_GEN }, template),
      );
      this.handles.set(handleCacheKey(key), handle);
      return key;
    }, false);
  }

  generateRandom(length: number): Buffer {
    return this.surviving(() => this.call('C_GenerateRandom', () => this.module.cryptoki.C_GenerateRandom(this.session, Buffer.alloc(length))), true);
  }

  destroyKey(key: Pkcs11Key): void {
    return this.surviving(() => {
      const handle = this.handleOf(key);
      this.handles.delete(handleCacheKey(key));
      this.call(`C_DestroyObject of key "${key.label}"`, () => this.module.cryptoki.C_DestroyObject(this.session, handle));
    }, false);
  }

  encryptAesGcm(key: Pkcs11Key, iv: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
    return this.surviving(() => {
      if (iv.length !== IV_BYTES) throw new RangeError(`AES-GCM IV must be ${IV_BYTES} bytes`);
      const { cryptoki } = this.module;
      this.withKey(key, 'C_EncryptInit', (handle) => cryptoki.C_EncryptInit(this.session, this.gcm(iv, aad), handle));
      const sealed = this.call(`C_Encrypt with key "${key.label}"`, () =>
        cryptoki.C_Encrypt(this.session, nonNullPointer(plaintext), Buffer.alloc(plaintext.length + TAG_BYTES)),
      );
      if (sealed.length !== plaintext.length + TAG_BYTES) {
        throw new Pkcs11Error('DEVICE_ERROR', `C_Encrypt with key "${key.label}" in token "${this.tokenLabel}" returned ${sealed.length} bytes, not ciphertext and a 16-byte tag`);
      }
      return sealed;
    }, true);
  }

  decryptAesGcm(key: Pkcs11Key, iv: Buffer, aad: Buffer, ciphertextWithTag: Buffer): Buffer {
    return this.surviving(() => {
      if (iv.length !== IV_BYTES || ciphertextWithTag.length < TAG_BYTES) throw new Pkcs11DecryptionFailed();
      const { cryptoki } = this.module;
      this.withKey(key, 'C_DecryptInit', (handle) => cryptoki.C_DecryptInit(this.session, this.gcm(iv, aad), handle));
      const output = Buffer.alloc(ciphertextWithTag.length);
      try {
        return cryptoki.C_Decrypt(this.session, ciphertextWithTag, output);
      } catch (error) {
        output.fill(0);
        const returnValue = returnValueOf(error);
        if (returnValue !== undefined && DECRYPTION_FAILURES.has(returnValue)) throw new Pkcs11DecryptionFailed();
        throw this.failure(error, `C_Decrypt with key "${key.label}"`);
      }
    }, true);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.dropSession(true);
    this.module.release();
  }

  /**
   * Runs `operation`. When the token had lost the session, it is closed on this side and another opened at the
   * next call: with `again`, that is at once, running `operation` once more; an operation that would change the
   * token twice (make a key, destroy one) is not run again, and its error stands.
   */
  private surviving<T>(operation: () => T, again: boolean): T {
    try {
      return operation();
    } catch (error) {
      if (!(error instanceof Pkcs11Error) || !SESSION_LOST.has(error.returnValue ?? '')) throw error;
      // Only a logged-out session still exists on the token. The others are gone, and their handle may already
      // name a session another part of this process has opened since: closing it would close that one.
      this.dropSession(error.returnValue === 'CKR_USER_NOT_LOGGED_IN');
      if (!again) throw error;
      return operation();
    }
  }

  /** Forgets the session and its object handles, closing it on the token when `onToken`. */
  private dropSession(onToken: boolean): void {
    const dropped = this.connection;
    this.connection = undefined;
    this.handles.clear();
    if (dropped === undefined) return;
    if (onToken) closeSession(this.module, dropped.session);
    dropped.logOut();
  }

  /**
   * CKM_AES_GCM's parameters in the layout of PKCS#11 2.40 errata and 3.0 (with `ulIvBits`), which SoftHSM2
   * and current HSMs read.
   */
  private gcm(iv: Buffer, aad: Buffer): pkcs11js.Mechanism {
    const b = this.module.binding;
    const parameter: pkcs11js.GcmParams = { type: b.CK_PARAMS_AES_GCM_v240, iv, ivBits: IV_BYTES * 8, aad, tagBits: TAG_BYTES * 8 };
    return { mechanism: b.CKM_AES_GCM, parameter };
  }

  /** Runs `use` with the key's handle; a handle gone stale (the key destroyed elsewhere) leaves the cache. */
  private withKey(key: Pkcs11Key, doing: string, use: (handle: Buffer) => void): void {
    const handle = this.handleOf(key);
    try {
      use(handle);
    } catch (error) {
      const failure = this.failure(error, `${doing} with key "${key.label}"`);
      if (failure.problem === 'KEY_NOT_FOUND') this.handles.delete(handleCacheKey(key));
      throw failure;
    }
  }

  private handleOf(key: Pkcs11Key): Buffer {
    const cached = this.handles.get(handleCacheKey(key));
    if (cached !== undefined) {
      this.requireOpen();
      return cached;
    }
    const matches = this.findSecretKeys(key.label, key.id);
    const [handle] = matches;
    if (handle === undefined || matches.length > 1) {
      const why = handle === undefined ? 'no' : `${matches.length}`;
      throw new Pkcs11Error('KEY_NOT_FOUND', `${why} AES keys labelled "${key.label}" with id ${key.id.toString('hex')} in token "${this.tokenLabel}"`);
    }
    this.handles.set(handleCacheKey(key), handle);
    return handle;
  }

  /** The AES secret keys with this label (and id, when given). */
  private findSecretKeys(label: string, id?: Buffer): Buffer[] {
    const b = this.module.binding;
    const { cryptoki } = this.module;
    const template: pkcs11js.Template = [
      { type: b.CKA_CLASS, value: b.CKO_SECRET_KEY },
      { type: b.CKA_KEY_TYPE, value: b.CKK_AES },
      { type: b.CKA_LABEL, value: label },
      ...(id === undefined ? [] : [{ type: b.CKA_ID, value: id }]),
    ];
    const doing = `finding key "${label}"`;
    const session = this.call(doing, () => this.session);
    this.call(doing, () => cryptoki.C_FindObjectsInit(session, template));
    try {
      const found: Buffer[] = [];
      for (;;) {
        const batch = this.call(doing, () => cryptoki.C_FindObjects(session, 16));
        if (batch.length === 0) return found;
        found.push(...batch);
      }
    } finally {
      try {
        cryptoki.C_FindObjectsFinal(session);
      } catch {
        // The search is over either way; its error, if any, was reported above.
      }
    }
  }

  /** A Cryptoki call on this open session; its failure names this token. */
  private call<T>(doing: string, run: () => T): T {
    this.requireOpen();
    try {
      return run();
    } catch (error) {
      throw this.failure(error, doing);
    }
  }

  private failure(error: unknown, doing: string): Pkcs11Error {
    return pkcs11Failure(error, `${doing} in token "${this.tokenLabel}"`);
  }

  private requireOpen(): void {
    if (!this.open) throw new Pkcs11Error('DEVICE_ERROR', `the session with token "${this.tokenLabel}" is closed`);
  }
}

/**
 * An empty Buffer of its own has no memory, so pkcs11js passes a NULL pointer, which SoftHSM2 answers with
 * CKR_ARGUMENTS_BAD — and leaves the encryption active, so the session refuses every later C_EncryptInit.
 * An empty view into a real buffer points somewhere and seals the empty plaintext as GCM should.
 */
function nonNullPointer(data: Buffer): Buffer {
  return data.length > 0 ? data : Buffer.alloc(1).subarray(0, 0);
}

/** Key ids are random, but keys made outside Strongroom may share one: the label is part of the name. */
function handleCacheKey(key: Pkcs11Key): string {
  return `${key.id.toString('hex')}:${key.label}`;
}

function call<T>(doing: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw pkcs11Failure(error, doing);
  }
}

function closeSession(module: Pkcs11Module, session: Buffer): void {
  try {
    module.cryptoki.C_CloseSession(session);
  } catch {
    // Closing: a session the token already dropped (device removed) is closed too.
  }
}
