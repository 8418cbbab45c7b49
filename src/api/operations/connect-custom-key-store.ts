import { connectKeyStore } from '../../service/custom-key-stores/key-store-connection.js';
import { accountOperation } from '../operation.js';

/**
 * Connects a custom key store to its HSM: logs in to the token with the store's PIN. Answers `{}` whether or not
 * the token accepted it, as AWS does; DescribeCustomKeyStores then shows `CONNECTED`, or `FAILED` with why.
 */
export const ConnectCustomKeyStore = accountOperation({
  name: 'ConnectCustomKeyStore',
  action: 'kms:ConnectCustomKeyStore',
  readOnly: false,
  async handle({ input, scope }, deps) {
    await connectKeyStore(deps, scope, input.CustomKeyStoreId);
    return {};
  },
});
