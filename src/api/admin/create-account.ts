import { createAccount } from '../../service/identities/accounts.js';
import { AlreadyExistsException, EntityAlreadyExists } from '../../errors.js';
import { AdminInput } from './admin-input.js';
import type { AdminOperation } from './admin-operation.js';

const ACCOUNT_ID = { test: /^\d{12}$/, shown: '^\\d{12}$' } as const;

/**
 * `StrongroomAdmin.CreateAccount`: a new account (a separate key and identity space) and the first access key
 * of its root principal — what `strongroom accounts create` makes, through the same `createAccount`.
 * The secret access key is in this response only: it is stored wrapped by the root key and never recorded.
 *
 * @example
 *   // {"AccountId":"111122223333"}   (optional: a random 12-digit id when absent)
 *   // → {"AccountId":"111122223333","AccessKeyId":"AKIA...","SecretAccessKey":"..."}
 */
export const createAccountOperation: AdminOperation = {
  name: 'CreateAccount',
  readOnly: false,
  async handle(body, { iam }) {
    const input = new AdminInput(body);
    const accountId = input.string('AccountId', { pattern: ACCOUNT_ID });
    input.check();
    const { account, rootAccessKey } = await createWithAwsErrors(() => createAccount(iam, accountId));
    const accessKeyId = rootAccessKey.record.accessKeyId;
    return {
      output: { AccountId: account.id, AccessKeyId: accessKeyId, SecretAccessKey: rootAccessKey.secret.expose().toString('utf8') },
      recordedOutput: { AccountId: account.id, AccessKeyId: accessKeyId },
    };
  },
};

/** Identity management speaks IAM's error codes; this JSON API speaks KMS's. */
async function createWithAwsErrors<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof EntityAlreadyExists) throw new AlreadyExistsException(error.message);
    throw error;
  }
}
