import { callAdmin } from './admin-client';
import type { Session } from './session';

/** An account of the server: a separate key and identity space. */
export interface ServerAccount {
  readonly accountId: string;
  readonly created?: Date;
}

/**
 * Every account of the server, oldest first (admin API ListAccounts: the administrator's root only; anyone
 * else gets AccessDeniedException).
 */
export async function listAccounts(session: Session): Promise<readonly ServerAccount[]> {
  const { Accounts } = await callAdmin<{ Accounts?: { AccountId: string; CreationDate?: number }[] }>(session, 'ListAccounts', {});
  return (Accounts ?? []).map(({ AccountId, CreationDate }) => ({
    accountId: AccountId,
    // JSON 1.1 timestamps are epoch seconds.
    ...(typeof CreationDate === 'number' ? { created: new Date(CreationDate * 1000) } : {}),
  }));
}

/** A new account and its root's first access key, whose secret exists in this answer only. */
export interface NewAccount {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Creates an account (a random 12-digit id unless one is given); AlreadyExistsException for a taken id.
 *
 * @example
 *   const { accountId, accessKeyId, secretAccessKey } = await createAccount(session, '111122223333');
 */
export async function createAccount(session: Session, accountId?: string): Promise<NewAccount> {
  const answer = await callAdmin<{ AccountId?: string; AccessKeyId?: string; SecretAccessKey?: string }>(
    session,
    'CreateAccount',
    accountId ? { AccountId: accountId } : {},
  );
  if (!answer.AccountId || !answer.AccessKeyId || !answer.SecretAccessKey) throw new Error('CreateAccount returned no credentials');
  return { accountId: answer.AccountId, accessKeyId: answer.AccessKeyId, secretAccessKey: answer.SecretAccessKey };
}
