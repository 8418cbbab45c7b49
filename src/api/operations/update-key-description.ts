import { keyOperation } from '../operation.js';
import { mutateKey } from '../../service/key-mutation.js';

export const UpdateKeyDescription = keyOperation({
  name: 'UpdateKeyDescription',
  action: 'kms:UpdateKeyDescription',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'manage' },
  async handle({ input, key }, deps) {
    await mutateKey(deps, key, () => ({ fields: { description: input.Description } }));
    return {};
  },
});
