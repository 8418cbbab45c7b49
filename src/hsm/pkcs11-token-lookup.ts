import { Pkcs11Error, pkcs11Failure } from './pkcs11-errors.js';
import { acquirePkcs11Module, type Pkcs11Module } from './pkcs11-module.js';

/**
 * Finding a token by its label in a PKCS#11 module, without a session or a login: what opening a token does first
 * (`pkcs11-token.ts`), and all that `strongroom hsm register` needs to prove that a cluster names a real token
 * before storing it (ADR 0022, Decision 1) — the operator registering a cluster has no PIN to give.
 */

/** Token labels are 32 bytes, blank-padded (PKCS#11 CK_TOKEN_INFO.label). */
const TOKEN_LABEL_BYTES = 32;

/** Throws `TOKEN_NOT_FOUND` for a label no token can have: empty, or longer than a token label's 32 bytes. */
export function requireTokenLabel(tokenLabel: string): void {
  if (tokenLabel === '' || Buffer.byteLength(tokenLabel, 'utf8') > TOKEN_LABEL_BYTES) {
    throw new Pkcs11Error('TOKEN_NOT_FOUND', `a token label is 1 to ${TOKEN_LABEL_BYTES} bytes: "${tokenLabel}" is not`);
  }
}

/**
 * Loads the module, finds the one initialised token labelled `tokenLabel` and gives the module back. Rejects with a
 * `Pkcs11Error`: `BINDING_MISSING`, `MODULE_NOT_FOUND`, `TOKEN_NOT_FOUND` (none, or several, with that label), or
 * `DEVICE_ERROR`.
 *
 * @example
 *   const { serialNumber } = await findPkcs11Token('/usr/lib/softhsm/libsofthsm2.so', 'strongroom');
 */
export async function findPkcs11Token(modulePath: string, tokenLabel: string): Promise<{ serialNumber: string }> {
  requireTokenLabel(tokenLabel);
  const module = await acquirePkcs11Module(modulePath);
  try {
    const { serialNumber } = findTokenSlot(module, tokenLabel);
    return { serialNumber };
  } finally {
    module.release();
  }
}

/** The slot holding the one initialised token labelled `tokenLabel`, and the token's serial number. */
export function findTokenSlot(module: Pkcs11Module, tokenLabel: string): { slot: Buffer; serialNumber: string } {
  const { cryptoki, binding } = module;
  const matches = call(`C_GetSlotList of ${module.path}`, () => cryptoki.C_GetSlotList(true)).flatMap((slot) => {
    const info = call(`C_GetTokenInfo of ${module.path}`, () => cryptoki.C_GetTokenInfo(slot));
    const initialised = (info.flags & binding.CKF_TOKEN_INITIALIZED) !== 0;
    return initialised && info.label.trimEnd() === tokenLabel ? [{ slot, serialNumber: info.serialNumber.trim() }] : [];
  });
  const [match] = matches;
  if (match === undefined) throw new Pkcs11Error('TOKEN_NOT_FOUND', `no token labelled "${tokenLabel}" in ${module.path}`);
  if (matches.length > 1) {
    // Taking one of them could put keys in the wrong token, or look for them there.
    throw new Pkcs11Error('TOKEN_NOT_FOUND', `${matches.length} tokens are labelled "${tokenLabel}" in ${module.path}: the label must name one`);
  }
  return match;
}

function call<T>(doing: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw pkcs11Failure(error, doing);
  }
}
