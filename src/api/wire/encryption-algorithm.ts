import { InvalidKeyUsageException } from '../../errors.js';
import type { KmsKey } from '../../keys/key.js';
import type { EncryptionAlgorithmSpec } from '../generated/kms-shapes.js';

/** Symmetric keys take only `SYMMETRIC_DEFAULT` (the default when the request names none). */
export function assertSymmetricAlgorithm(
  key: KmsKey,
  requested: EncryptionAlgorithmSpec | undefined,
): EncryptionAlgorithmSpec {
  const algorithm = requested ?? 'SYMMETRIC_DEFAULT';
  if (key.spec === 'SYMMETRIC_DEFAULT' && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new InvalidKeyUsageException(
      `The encryption algorithm ${algorithm} is not compatible with the key spec of ${key.arn}.`,
    );
  }
  return algorithm;
}
