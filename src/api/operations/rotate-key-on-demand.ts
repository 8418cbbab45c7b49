import { keyOperation } from '../operation.js';
import { rotateOnDemand } from '../../service/rotation.js';

/**
 * Rotates now. AWS starts the rotation asynchronously; here it is complete (and durable) when the response is
 * sent, so `GetKeyRotationStatus` never reports one in progress.
 */
export const RotateKeyOnDemand = keyOperation({
  name: 'RotateKeyOnDemand',
  action: 'kms:RotateKeyOnDemand',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'rotate' },
  async handle({ key }, deps) {
    const rotated = await rotateOnDemand(deps, key);
    return { KeyId: rotated.arn };
  },
});
