import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cryptoki, Pkcs11Module } from './pkcs11-module.js';
import { Pkcs11Error, pkcs11Failure, returnValueOf } from './pkcs11-errors.js';

/**
 * Logging in to a token as its user, once per process and token.
 *
 * PKCS#11 keeps the login state per application and token, not per session: the second session of a process
 * on a token answers `C_Login` with `CKR_USER_ALREADY_LOGGED_IN` whatever PIN it gives, and `C_Logout` in one
 * session logs every session out. So the PIN of the first login is remembered — as an HMAC under a key that
 * lives only in this process's memory, never the PIN itself — and a later open with another PIN is refused
 * as the token would have refused it. Nobody calls `C_Logout`: the token logs out when the last session closes.
 */

interface SlotLogin {
  readonly pinDigest: Buffer;
  sessions: number;
}

const PIN_DIGEST_KEY = randomBytes(32);

/** Per loaded library, the slots this process is logged in to (by slot id in hex). */
const loginsByLibrary = new WeakMap<Cryptoki, Map<string, SlotLogin>>();

/**
 * Logs `session` (on `slot`) in as the user with `pin`, or checks `pin` against the login already made by
 * another session of this process. Returns what to call once the session is closed.
 */
export function logInAsUser(module: Pkcs11Module, slot: Buffer, session: Buffer, pin: string, tokenLabel: string): () => void {
  const logins = loginsOf(module.cryptoki);
  const slotKey = slot.toString('hex');
  const pinDigest = createHmac('sha256', PIN_DIGEST_KEY).update(pin, 'utf8').digest();
  const doing = `C_Login to token "${tokenLabel}"`;
  let login = logins.get(slotKey);
  try {
    module.cryptoki.C_Login(session, module.binding.CKU_USER, pin);
    // The token had logged out (all of this process's sessions had closed): a fresh login.
    login = { pinDigest, sessions: 0 };
    logins.set(slotKey, login);
  } catch (error) {
    if (returnValueOf(error) !== 'CKR_USER_ALREADY_LOGGED_IN') throw pkcs11Failure(error, doing);
    if (login === undefined) {
      // Someone else in this process (not through this module) logged in: the PIN cannot be checked.
      throw new Pkcs11Error('DEVICE_ERROR', `${doing} failed: CKR_USER_ALREADY_LOGGED_IN (by another part of this process)`);
    }
    if (!timingSafeEqual(login.pinDigest, pinDigest)) throw new Pkcs11Error('PIN_INCORRECT', `${doing} failed: CKR_PIN_INCORRECT`);
  }
  login.sessions += 1;
  const entry = login;
  return () => {
    entry.sessions -= 1;
    if (entry.sessions === 0 && logins.get(slotKey) === entry) logins.delete(slotKey);
  };
}

function loginsOf(cryptoki: Cryptoki): Map<string, SlotLogin> {
  let logins = loginsByLibrary.get(cryptoki);
  if (logins === undefined) {
    logins = new Map();
    loginsByLibrary.set(cryptoki, logins);
  }
  return logins;
}
