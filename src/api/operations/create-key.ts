import { accountOperation } from '../operation.js';
import { validateNewKeyPolicy } from '../../auth/authorization/new-key-policy.js';
import { ValidationException } from '../../errors.js';
import { keyArn } from '../../keys/key.js';
import { DEFAULT_KEY_SPEC, KEY_SPECS } from '../../keys/key-spec.js';
import { createKey, multiRegionKeyId } from '../../service/key-creation.js';
import { keyStoreOf } from '../../service/custom-key-stores/store-keys.js';
import { readLocalStackTags } from '../../service/seeding/localstack-tags.js';
import { validateNewTags } from '../../service/tags.js';
import { toKeyMetadata } from '../wire/key-metadata.js';
import { fromWireTags } from '../wire/tags.js';
import { requestedTags, stated } from '../wire/request-terms.js';

/**
 * Creates a customer managed key: of origin AWS_KMS (material made here), EXTERNAL (PendingImport until
 * ImportKeyMaterial), AWS_CLOUDHSM (material made in a custom key store's HSM) or EXTERNAL_KEY_STORE (an external key
 * behind an XKS proxy, `XksKeyId`), single-Region or a multi-Region primary (`mrk-` id). A request naming a custom key
 * store or an external key never makes an ordinary key (the service checks the members together first).
 */
export const CreateKey = accountOperation({
  name: 'CreateKey',
  action: 'kms:CreateKey',
  readOnly: false,
  terms: (input) => stated({
    newKey: {
      spec: input.KeySpec ?? input.CustomerMasterKeySpec ?? DEFAULT_KEY_SPEC,
      usage: input.KeyUsage ?? 'ENCRYPT_DECRYPT',
      origin: input.Origin ?? 'AWS_KMS',
      multiRegion: input.MultiRegion === true,
    },
    tags: requestedTags(input.Tags),
    bypassPolicyLockoutSafetyCheck: input.BypassPolicyLockoutSafetyCheck === true,
  }),
  async handle({ input, scope, caller }, givenDeps) {
    const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? DEFAULT_KEY_SPEC;
    const usage = input.KeyUsage ?? KEY_SPECS[spec].defaultUsage;
    if (usage === undefined) {
      // Only the symmetric encryption key has a usage to default to; AWS makes every other spec say its usage.
      throw new ValidationException(
        'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
      );
    }
    // Development mode only: LocalStack's _custom_id_ and _custom_key_material_ tags (docs/seeding.md).
    const custom = readLocalStackTags(givenDeps, spec, fromWireTags(input.Tags));
    // The key id is drawn first so the policy checks see the ARN the key will have.
    const keyId = custom.keyId ?? (input.MultiRegion === true ? multiRegionKeyId(givenDeps) : givenDeps.newKeyId());
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
    const tags = [...custom.tags];
    validateNewTags([], tags);
    const key = await createKey(deps, scope, {
      spec,
      usage,
      origin: input.Origin ?? 'AWS_KMS',
      description: input.Description ?? '',
      tags,
      multiRegion: input.MultiRegion ?? false,
      ...(input.CustomKeyStoreId !== undefined ? { customKeyStoreId: input.CustomKeyStoreId } : {}),
      ...(input.XksKeyId !== undefined ? { xksKeyId: input.XksKeyId } : {}),
      ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
      ...(custom.material ? { material: custom.material } : {}),
    }).finally(() => custom.material?.secret.wipe());
    return { KeyMetadata: toKeyMetadata(key, [key], await keyStoreOf(deps, key)) };
  },
});
