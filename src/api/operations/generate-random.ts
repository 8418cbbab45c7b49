import { UnsupportedOperationException } from '../../errors.js';
import { accountOperation } from '../operation.js';
import { generateRandomBytes } from '../../service/data-keys.js';
import { refuseRecipient } from '../wire/recipient.js';

/** Random bytes from the server's CSPRNG. `NumberOfBytes` (1–1024) is required by the generated validation. */
export const GenerateRandom = accountOperation({
  name: 'GenerateRandom',
  action: 'kms:GenerateRandom',
  readOnly: true,
  async handle({ input }) {
    if (input.CustomKeyStoreId !== undefined) {
      throw new UnsupportedOperationException('Custom key stores are not supported by this server.');
    }
    refuseRecipient(input.Recipient);
    return { Plaintext: generateRandomBytes(input.NumberOfBytes).expose() };
  },
});
