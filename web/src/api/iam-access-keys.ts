import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type AccessKeyMetadata,
  type IAMClient,
} from '@aws-sdk/client-iam';

/** A user's access keys: ids, status and creation dates (never secrets: IAM has none to give after creation). */
export async function listAccessKeys(iam: IAMClient, userName: string): Promise<readonly AccessKeyMetadata[]> {
  const { AccessKeyMetadata: keys } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return keys ?? [];
}

/** A new access key and its secret, which exists in this answer only. */
export interface NewAccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Creates an access key for a user (IAM allows two per user: a third is LimitExceeded). The secret is returned
 * to the caller to show once; nothing here keeps it.
 *
 * @example
 *   const { accessKeyId, secretAccessKey } = await createAccessKey(clients.iam, 'alice');
 */
export async function createAccessKey(iam: IAMClient, userName: string): Promise<NewAccessKey> {
  const { AccessKey: key } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('CreateAccessKey returned no access key');
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

/** Deletes one of a user's access keys: requests signed with it are refused from then on. */
export async function deleteAccessKey(iam: IAMClient, userName: string, accessKeyId: string): Promise<void> {
  await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
}

/**
 * Deactivates or reactivates one of a user's access keys: an inactive key is refused from the next request on, and
 * works again once active, with the same secret (how to stop a key that may be in use before deleting it).
 */
export async function setAccessKeyStatus(iam: IAMClient, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
  await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status }));
}
