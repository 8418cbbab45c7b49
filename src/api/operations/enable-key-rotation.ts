import { keyOperation } from '../operation.js';
import { enableAutomaticRotation } from '../../service/rotation.js';

/** Turns on automatic rotation every `RotationPeriodInDays` (90–2560, checked by validation; default 365). */
export const EnableKeyRotation = keyOperation({
  name: 'EnableKeyRotation',
  action: 'kms:EnableKeyRotation',
  readOnly: false,
  // AWS judges kms:RotationPeriodInDays by the period the key will have: 365 days when none is given.
  terms: (input) => ({ rotationPeriodInDays: input.RotationPeriodInDays ?? 365 }),
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'rotate' },
  async handle({ input, key }, deps) {
    await enableAutomaticRotation(deps, key, input.RotationPeriodInDays);
    return {};
  },
});
