import type * as pkcs11js from 'pkcs11js';

/**
 * A session on a token through pkcs11js directly, beside the one `openPkcs11Token` holds: for tests that must
 * do what Strongroom's token API deliberately cannot (import a known key, read a key's attributes).
 *
 * Open it while a `Pkcs11Token` on the same token is open and close it first: Cryptoki is then already
 * initialised and the user already logged in (both per process), and closing it leaves both alone.
 */
export interface RawPkcs11Session {
  readonly binding: typeof pkcs11js;
  readonly cryptoki: pkcs11js.PKCS11;
  readonly session: Buffer;
  /** The AES secret key objects with this label. */
  findKeys(label: string): Buffer[];
  /** An AES-256 key object holding `value`, extractable, for known answers only. */
  importAesKey(label: string, value: Buffer): Buffer;
  /**
   * Closes every session of this process on the token (C_CloseAllSessions), this one included: what a token that
   * restarts or is pulled out does to its sessions. The token logs the process out with the last one.
   */
  closeAllSessions(): void;
  close(): void;
}

export async function openRawPkcs11Session(modulePath: string, tokenLabel: string, pin: string): Promise<RawPkcs11Session> {
  const binding = (await import('pkcs11js')).default;
  const cryptoki = new binding.PKCS11();
  cryptoki.load(modulePath);
  const initialisedHere = tolerate(() => cryptoki.C_Initialize(), 'CKR_CRYPTOKI_ALREADY_INITIALIZED');
  const slot = cryptoki.C_GetSlotList(true).find((candidate) => cryptoki.C_GetTokenInfo(candidate).label.trimEnd() === tokenLabel);
  if (slot === undefined) throw new Error(`no token labelled ${tokenLabel}`);
  const session = cryptoki.C_OpenSession(slot, binding.CKF_SERIAL_SESSION | binding.CKF_RW_SESSION);
  let sessionOpen = true;
  tolerate(() => cryptoki.C_Login(session, binding.CKU_USER, pin), 'CKR_USER_ALREADY_LOGGED_IN');
  const b = binding;
  return {
    binding,
    cryptoki,
    session,
    findKeys(label) {
      cryptoki.C_FindObjectsInit(session, [
        { type: b.CKA_CLASS, value: b.CKO_SECRET_KEY },
        { type: b.CKA_LABEL, value: label },
      ]);
      try {
        return cryptoki.C_FindObjects(session, 100);
      } finally {
        cryptoki.C_FindObjectsFinal(session);
      }
    },
    importAesKey(label, value) {
      return cryptoki.C_CreateObject(session, [
        { type: b.CKA_CLASS, value: b.CKO_SECRET_KEY },
        { type: b.CKA_KEY_TYPE, value: b.CKK_AES },
        { type: b.CKA_VALUE, value },
        { type: b.CKA_LABEL, value: label },
        { type: b.CKA_ID, value: Buffer.from(label) },
        // A session object: visible to every session of this process, gone when the last one closes.
        { type: b.CKA_TOKEN, value: false },
        { type: b.CKA_PRIVATE, value: true },
        { type: b.CKA_SENSITIVE, value: false },
        { type: b.CKA_EXTRACTABLE, value: true },
        { type: b.CKA_ENCRYPT, value: true },
        { type: b.CKA_DECRYPT, value: true },
      ]);
    },
    closeAllSessions() {
      cryptoki.C_CloseAllSessions(slot);
      sessionOpen = false;
    },
    close() {
      if (sessionOpen) cryptoki.C_CloseSession(session);
      if (initialisedHere) cryptoki.C_Finalize();
      cryptoki.close();
    },
  };
}

/** Runs `call`; true when it succeeded, false when it failed with `returnValue` (anything else is thrown). */
function tolerate(call: () => void, returnValue: string): boolean {
  try {
    call();
    return true;
  } catch (error) {
    if (error instanceof Error && error.message === returnValue) return false;
    throw error;
  }
}
