import { keyOperation } from '../operation.js';
import { disableAutomaticRotation } from '../../service/rotation.js';

export const DisableKeyRotation = keyOperation({
  name: 'DisableKeyRotation',
  action: 'kms:DisableKeyRotation',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'rotate' },
  async handle({ key }, deps) {
    await disableAutomaticRotation(deps, key);
    return {};
  },
});
