import { accountOperation } from '../operation.js';
import { validateNewKeyPolicy } from '../../auth/authorization/new-key-policy.js';
import { keyArn } from '../../keys/key.js';
import { createKey } from '../../service/key-creation.js';
import { validateNewTags } from '../../service/tags.js';
import { toKeyMetadata } from '../wire/key-metadata.js';
import { fromWireTags } from '../wire/tags.js';

export const CreateKey = accountOperation({
  name: 'CreateKey',
  action: 'kms:CreateKey',
  readOnly: false,
  async handle({ input, scope, caller, deps: givenDeps }) {
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
      spec: input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
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
