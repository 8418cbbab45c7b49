import type { ImportWrappingAlgorithm, WrappingKeySpec } from '../../crypto/import-wrapping.js';
import { UnsupportedOperationException } from '../../errors.js';
import type { KmsKey } from '../../keys/key.js';
import type { ServiceDependencies } from '../services.js';
import { IMPORT_PARAMETERS_LIFETIME_MS, sealImportToken } from './import-token.js';

export interface IssuedImportParameters {
  readonly importToken: Buffer;
  /** The wrapping public key, DER SubjectPublicKeyInfo. */
  readonly publicKey: Buffer;
  /** Epoch ms. */
  readonly validTo: number;
}

/** Import applies only to keys created for it (`Origin: EXTERNAL`); AWS names the key's origin when refusing. */
export function assertImportable(key: KmsKey): void {
  if (key.origin !== 'EXTERNAL') {
    throw new UnsupportedOperationException(`${key.arn} origin is ${key.origin} which is not valid for this operation.`);
  }
}

/**
 * GetParametersForImport: a fresh RSA wrapping key pair (from the node's generator, off the event loop) and an
 * import token that carries its private half wrapped by the root key (`import-token.ts`). Nothing is stored.
 */
export async function issueImportParameters(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: ImportWrappingAlgorithm,
  wrappingKeySpec: WrappingKeySpec,
): Promise<IssuedImportParameters> {
  assertImportable(key);
  const pair = await deps.keyPairs.generateKeyPair(wrappingKeySpec);
  try {
    const validTo = deps.now() + IMPORT_PARAMETERS_LIFETIME_MS;
    const importToken = sealImportToken(deps.rootKey, {
      keyArn: key.arn,
      algorithm,
      wrappingKeySpec,
      validTo,
      wrappingPrivateKey: pair.privateKey,
    });
    return { importToken, publicKey: pair.publicKey, validTo };
  } finally {
    pair.privateKey.wipe();
  }
}
