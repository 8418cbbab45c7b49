import { accountOperation } from '../operation.js';
import { assertPolicyDocument, createKey } from '../../service/key-creation.js';
import { validateNewTags } from '../../service/tags.js';
import { toKeyMetadata } from '../wire/key-metadata.js';
import { fromWireTags } from '../wire/tags.js';

export const CreateKey = accountOperation({
  name: 'CreateKey',
  action: 'kms:CreateKey',
  readOnly: false,
  async handle({ input, scope, deps }) {
    if (input.Policy !== undefined) assertPolicyDocument(input.Policy);
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
