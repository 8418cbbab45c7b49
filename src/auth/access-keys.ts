import { randomBytes, randomInt } from 'node:crypto';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import type { AccessKey, IdentityRepository, PrincipalType } from '../store/store.js';
import { accessKeyAad } from './credential-resolver.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An access key id shaped like AWS's: `AKIA` (long-term) or `ASIA` (temporary) and 16 base-32 characters. */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA' = 'AKIA'): string {
  let id = prefix;
  for (let i = 0; i < 16; i++) id += BASE32[randomInt(BASE32.length)];
  return id;
}

/** A 40-character secret access key (30 random bytes, base64), as AWS issues. */
export function newSecretAccessKey(): SecretBytes {
  return SecretBytes.adopt(Buffer.from(randomBytes(30).toString('base64'), 'utf8'));
}

export interface NewAccessKeyFor {
  readonly accountId: string;
  readonly principalArn: string;
  readonly principalType: PrincipalType;
  readonly principalId: string;
  readonly userName?: string;
}

/** Issues a long-term access key; the secret is stored only wrapped by the root key and returned once. */
export async function issueAccessKey(
  identities: IdentityRepository,
  rootKey: RootOfTrust,
  principal: NewAccessKeyFor,
  now: number,
): Promise<{ accessKeyId: string; secret: SecretBytes }> {
  const accessKeyId = newAccessKeyId();
  const secret = newSecretAccessKey();
  const record: AccessKey = {
    ...principal,
    accessKeyId,
    wrappedSecret: rootKey.wrap(secret, accessKeyAad(accessKeyId)),
    status: 'Active',
    createdAt: now,
  };
  await identities.createAccessKey(record);
  return { accessKeyId, secret };
}

/** A random 12-digit account id that does not start with 0 (000000000000 is the development account). */
export function newAccountId(): string {
  return String(randomInt(100_000_000_000, 1_000_000_000_000));
}
