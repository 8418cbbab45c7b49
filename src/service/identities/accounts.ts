import { DuplicateError, type Account } from '../../store/store.js';
import { newAccountId } from '../../auth/access-keys.js';
import { createAccessKeyFor, type NewAccessKey } from './access-key-management.js';
import type { IamContext } from './iam-context.js';
import { EntityAlreadyExists, ValidationError } from '../../errors.js';

/** A new account and the first access key of its root principal (returned once). */
export interface NewAccount {
  readonly account: Account;
  readonly rootAccessKey: NewAccessKey;
}

/**
 * Creates an account (a random 12-digit id unless one is given) with root credentials. Each account is a
 * separate key space and identity space; its root is implicitly allowed everything within it.
 *
 * @example
 *   const { account, rootAccessKey } = await createAccount(context);
 */
export async function createAccount(context: IamContext, accountId: string = newAccountId()): Promise<NewAccount> {
  if (!/^\d{12}$/.test(accountId)) throw new ValidationError(`An account id is 12 digits: ${accountId}`);
  const account: Account = { id: accountId, createdAt: context.now() };
  try {
    await context.identities.createAccount(account);
  } catch (error) {
    if (error instanceof DuplicateError) throw new EntityAlreadyExists(`Account ${accountId} already exists.`);
    throw error;
  }
  return { account, rootAccessKey: await createAccessKeyFor(context, accountId, undefined) };
}
