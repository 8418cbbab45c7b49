import { createHash, randomBytes } from 'node:crypto';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { AccessKey, IamRole } from '../../store/store.js';
import { newAccessKeyId, newSecretAccessKey } from '../../auth/access-keys.js';
import { accessKeyAad } from '../../auth/credential-resolver.js';
import type { IamContext } from './iam-context.js';

/** Temporary credentials as STS returns them, once: the secret and the session token are stored only wrapped / hashed. */
export interface TemporaryCredentials {
  /** `ASIA...` */
  readonly accessKeyId: string;
  readonly secretAccessKey: SecretBytes;
  readonly sessionToken: SecretBytes;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  readonly assumedRoleArn: string;
  /** `AROA...:<session>` */
  readonly assumedRoleId: string;
}

/**
 * Issues credentials for a session of `role`: an `ASIA...` access key whose secret is stored wrapped by the
 * root key (like every secret access key), a session token stored only as its SHA-256 digest (the
 * credential resolver compares digests in constant time), and an expiry after which the resolver answers
 * ExpiredTokenException. The caller has already decided that the session may be issued.
 *
 * @example
 *   const credentials = await issueRoleSession(context, role, 'deploy-42', 3600);
 */
export async function issueRoleSession(
  context: IamContext,
  role: IamRole,
  sessionName: string,
  durationSeconds: number,
): Promise<TemporaryCredentials> {
  const now = context.now();
  const accessKeyId = newAccessKeyId('ASIA');
  const secretAccessKey = newSecretAccessKey();
  // 96 random bytes: a bearer secret as long as AWS's shorter session tokens.
  const sessionToken = SecretBytes.adopt(Buffer.from(randomBytes(96).toString('base64'), 'utf8'));
  const assumedRoleArn = `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`;
  const assumedRoleId = `${role.roleId}:${sessionName}`;
  const expiresAt = now + durationSeconds * 1000;
  const record: AccessKey = {
    accessKeyId,
    accountId: role.accountId,
    principalArn: assumedRoleArn,
    principalType: 'AssumedRole',
    principalId: assumedRoleId,
    wrappedSecret: context.rootKey.wrap(secretAccessKey, accessKeyAad(accessKeyId)),
    status: 'Active',
    createdAt: now,
    expiresAt,
    sessionTokenHash: createHash('sha256').update(sessionToken.expose()).digest(),
  };
  await context.identities.createAccessKey(record);
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt, assumedRoleArn, assumedRoleId };
}
