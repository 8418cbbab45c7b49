import { accountOperation } from '../operation.js';
import { generateRandomBytes } from '../../service/data-keys.js';
import { randomFromKeyStore } from '../../service/custom-key-stores/store-random.js';
import { refuseRecipient } from '../wire/recipient.js';

/**
 * Random bytes from the server's CSPRNG, or from a custom key store's HSM when `CustomKeyStoreId` names one.
 * `NumberOfBytes` (1–1024) is required by the generated validation.
 */
export const GenerateRandom = accountOperation({
  name: 'GenerateRandom',
  action: 'kms:GenerateRandom',
  readOnly: true,
  async handle({ input, scope }, deps) {
    refuseRecipient(input.Recipient);
    if (input.CustomKeyStoreId !== undefined) {
      return { Plaintext: await randomFromKeyStore(deps, scope, input.CustomKeyStoreId, input.NumberOfBytes) };
    }
    return { Plaintext: generateRandomBytes(input.NumberOfBytes).expose() };
  },
});
