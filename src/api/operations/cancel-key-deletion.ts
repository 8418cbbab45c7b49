import { keyOperation } from '../operation.js';
import { cancelKeyDeletion } from '../../service/deletion.js';

/** Cancels a scheduled deletion; the key is left `Disabled`, as AWS leaves it. */
export const CancelKeyDeletion = keyOperation({
  name: 'CancelKeyDeletion',
  action: 'kms:CancelKeyDeletion',
  readOnly: false,
  // The service answers a key that is not pending deletion with AWS's KMSInvalidStateException.
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ key }, deps) {
    const cancelled = await cancelKeyDeletion(deps, key);
    return { KeyId: cancelled.arn };
  },
});
