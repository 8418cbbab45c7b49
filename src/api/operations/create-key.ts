import { accountOperation, type Input } from '../operation.js';
import { validateNewKeyPolicy } from '../../auth/authorization/new-key-policy.js';
import { CustomKeyStoreNotFoundException, ValidationException } from '../../errors.js';
import { keyArn } from '../../keys/key.js';
import { createKey } from '../../service/key-creation.js';
import { validateNewTags } from '../../service/tags.js';
import { toKeyMetadata } from '../wire/key-metadata.js';
import { fromWireTags } from '../wire/tags.js';

/**
 * Creates a customer managed key. `Origin` other than `AWS_KMS` and `MultiRegion: true` are refused by the
 * service (UnsupportedOperationException); the custom key store members are refused here, before anything
 * else, so that no request naming a key store ever makes an ordinary key.
 */
export const CreateKey = accountOperation({
  name: 'CreateKey',
  action: 'kms:CreateKey',
  readOnly: false,
  async handle({ input, scope, caller, deps: givenDeps }) {
    refuseKeyStoreMembers(input);
    const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    if (input.KeyUsage === undefined && spec !== 'SYMMETRIC_DEFAULT') {
      // Only the symmetric encryption key has a usage to default to; AWS makes every other spec say its usage.
      throw new ValidationException(
        'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
      );
    }
    // The key id is drawn first so the policy checks see the ARN the key will have.
    const keyId = givenDeps.newKeyId();
    const deps = { ...givenDeps, newKeyId: () => keyId };
    if (input.Policy !== undefined) {
      await validateNewKeyPolicy({
        identities: deps.store.identities,
        caller,
        policy: input.Policy,
        keyArn: keyArn(scope, keyId),
        bypassPolicyLockoutSafetyCheck: input.BypassPolicyLockoutSafetyCheck === true,
      });
    }
    const tags = fromWireTags(input.Tags);
    validateNewTags([], tags);
    const key = await createKey(deps, scope, {
      spec,
      usage: input.KeyUsage ?? 'ENCRYPT_DECRYPT',
      origin: input.Origin ?? 'AWS_KMS',
      description: input.Description ?? '',
      tags,
      multiRegion: input.MultiRegion ?? false,
      ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
    });
    return { KeyMetadata: toKeyMetadata(key) };
  },
});

/**
 * Strongroom has no custom key stores yet, so every `CustomKeyStoreId` names a store that does not exist, and
 * AWS answers an unknown store with CustomKeyStoreNotFoundException.
 *
 * An `XksKeyId` without a `CustomKeyStoreId` names no store to be not found: the model documents it as valid
 * only with `Origin: EXTERNAL_KEY_STORE`, which itself requires the store's id — a constraint between members,
 * which AWS answers with ValidationException (the model's XksKey* exceptions are what the proxy of an existing
 * store reports about the external key, and there is no store here to ask).
 */
function refuseKeyStoreMembers(input: Input<'CreateKey'>): void {
  if (input.CustomKeyStoreId !== undefined) {
    throw new CustomKeyStoreNotFoundException(`Custom key store '${input.CustomKeyStoreId}' does not exist.`);
  }
  if (input.XksKeyId !== undefined) {
    throw new ValidationException(
      'XksKeyId is valid only for a KMS key in an external key store: it requires Origin EXTERNAL_KEY_STORE and a CustomKeyStoreId.',
    );
  }
}
