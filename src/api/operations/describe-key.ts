import { keyOperation } from '../operation.js';
import { toKeyMetadata } from '../wire/key-metadata.js';

export const DescribeKey = keyOperation({
  name: 'DescribeKey',
  action: 'kms:DescribeKey',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'any' },
  async handle({ key }) {
    return { KeyMetadata: toKeyMetadata(key.key) };
  },
});
