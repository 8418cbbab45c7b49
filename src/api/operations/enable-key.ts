import { keyOperation } from '../operation.js';
import { mutateKey } from '../../service/key-mutation.js';

export const EnableKey = keyOperation({
  name: 'EnableKey',
  action: 'kms:EnableKey',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'toggle' },
  async handle({ key }, deps) {
    await mutateKey(deps, key, () => ({ fields: { state: 'Enabled' } }));
    return {};
  },
});
