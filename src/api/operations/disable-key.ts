import { keyOperation } from '../operation.js';
import { mutateKey } from '../../service/key-mutation.js';

/** Disables a key: it stays, but cryptographic operations refuse it until EnableKey. */
export const DisableKey = keyOperation({
  name: 'DisableKey',
  action: 'kms:DisableKey',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'toggle' },
  async handle({ key }, deps) {
    await mutateKey(deps, key, () => ({ fields: { state: 'Disabled' } }));
    return {};
  },
});
