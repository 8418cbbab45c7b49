import { randomBytes, randomInt } from 'node:crypto';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { IamContext } from '../../service/identities/iam-context.js';
import { requireValid, USER_NAME } from '../../service/identities/iam-names.js';
import { createUser } from '../../service/identities/users.js';
import type { IamUser, XksCredential, XksCredentialRepository } from '../../store/store.js';

/**
 * XKS proxy credentials (ADR 0023, Decision 2): what AWS KMS signs its calls to this server's XKS proxy API with.
 * The specification's Appendix A says what they look like: an access key id of 20 to 30 characters of `[A-Z2-7]`,
 * unrelated to any IAM principal's (so an IAM access key, `AKIA` and `[A-Z0-9]`, never qualifies), and a secret of at
 * least 256 bits of entropy, which the AWS console and API accept as `[A-Za-z0-9+/=]` of 43 to 64 characters.
 */

/** The access key ids the specification allows. */
export const XKS_ACCESS_KEY_ID = /^[A-Z2-7]{20,30}$/;
/** The user a credential acts as unless told otherwise. */
export const DEFAULT_XKS_USER = 'xks-proxy';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** `XKS` and 21 random base-32 characters: 24 characters, 105 random bits (a name, not a secret). */
const RANDOM_ID_CHARACTERS = 21;

/** A new access key id: `XKS` and 21 random characters of `[A-Z2-7]`. It says nothing about the secret. */
export function newXksAccessKeyId(): string {
  let id = 'XKS';
  for (let i = 0; i < RANDOM_ID_CHARACTERS; i++) id += BASE32[randomInt(BASE32.length)];
  return id;
}

/** A new secret: Base64 of 32 random bytes (44 characters), as the specification suggests (`openssl rand 32 | base64`). */
export function newXksSecret(): SecretBytes {
  const random = randomBytes(32);
  try {
    return SecretBytes.adopt(Buffer.from(random.toString('base64'), 'utf8'));
  } finally {
    random.fill(0);
  }
}

/** The AAD binding a wrapped XKS secret to its access key id, so that a stored secret cannot be moved to another. */
export function xksCredentialAad(accessKeyId: string): Buffer {
  return Buffer.from(`strongroom:xks-credential:${accessKeyId}`, 'utf8');
}

/** A credential just issued: its record, and its secret (shown once, then wiped by the caller). */
export interface IssuedXksCredential {
  readonly credential: XksCredential;
  readonly secret: SecretBytes;
  /** The IAM user it acts as (created now when it did not exist). */
  readonly user: IamUser;
  readonly createdUser: boolean;
}

/**
 * Issues a credential acting as IAM user `userName` of `accountId`, creating the user (path `/`) when the account has
 * none of that name. The secret is stored only wrapped by the root of trust and returned once.
 *
 * @example
 *   const { credential, secret } = await issueXksCredential(iam, store.xksCredentials, { accountId, userName: 'xks-proxy' });
 */
export async function issueXksCredential(
  iam: IamContext,
  credentials: XksCredentialRepository,
  request: { readonly accountId: string; readonly userName: string },
): Promise<IssuedXksCredential> {
  const userName = requireValid('userName', request.userName, USER_NAME);
  const existing = await iam.identities.getUser(request.accountId, userName);
  const user = existing ?? (await createUser(iam, request.accountId, { userName, path: '/' }));
  const accessKeyId = newXksAccessKeyId();
  const secret = newXksSecret();
  const credential: XksCredential = {
    accessKeyId,
    accountId: request.accountId,
    // As IAM stores it: the user's own spelling, whatever case the request used.
    userName: user.userName,
    wrappedSecret: iam.rootKey.wrap(secret, xksCredentialAad(accessKeyId)),
    createdAt: iam.now(),
  };
  try {
    await credentials.create(credential);
  } catch (error) {
    secret.wipe();
    throw error;
  }
  return { credential, secret, user, createdUser: existing === undefined };
}
