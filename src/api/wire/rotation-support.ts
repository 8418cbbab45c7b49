import { UnsupportedOperationException } from '../../errors.js';
import type { KmsKey } from '../../keys/key.js';

/**
 * Rotation exists only for symmetric encryption keys whose material AWS KMS generated; AWS answers the
 * rotation reads for any other key with `UnsupportedOperationException`, as the service's rotation changes do.
 */
export function assertRotationApplies(key: KmsKey): void {
  if (key.spec !== 'SYMMETRIC_DEFAULT' || key.origin !== 'AWS_KMS') {
    throw new UnsupportedOperationException(`${key.arn} key does not support key rotation.`);
  }
}
