import type { ConnectionErrorCode } from '../../keys/custom-key-store.js';
import type { Pkcs11Problem } from '../../hsm/pkcs11-token.js';

/**
 * What a failed connection to a store's token is reported as: AWS's `ConnectionErrorCode` for the PKCS#11 problem
 * (`hsm/pkcs11-errors.ts`). A module or token that cannot be found is the cluster that cannot be found; a wrong PIN
 * is the `kmsuser` password that is wrong; anything the token itself fails at is a failure to reach it.
 */
const CONNECTION_ERROR_OF_PROBLEM: Readonly<Record<Pkcs11Problem, ConnectionErrorCode>> = Object.freeze({
  BINDING_MISSING: 'INTERNAL_ERROR',
  MODULE_NOT_FOUND: 'CLUSTER_NOT_FOUND',
  TOKEN_NOT_FOUND: 'CLUSTER_NOT_FOUND',
  PIN_INCORRECT: 'INVALID_CREDENTIALS',
  PIN_LOCKED: 'USER_LOCKED_OUT',
  KEY_NOT_FOUND: 'INTERNAL_ERROR',
  DEVICE_ERROR: 'NETWORK_ERRORS',
});

export function connectionErrorOf(problem: Pkcs11Problem): ConnectionErrorCode {
  return CONNECTION_ERROR_OF_PROBLEM[problem];
}
