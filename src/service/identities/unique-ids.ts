import { randomInt } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The kinds of IAM unique id: `AIDA` for users, `AROA` for roles (IAM User Guide, "Unique identifiers"). */
export type UniqueIdPrefix = 'AIDA' | 'AROA';

/**
 * A new IAM unique id: the prefix and 17 random upper-case base-32 characters (21 in all, as AWS's).
 * A user or role re-created under the same name gets a new id, so policies naming the old one stop applying.
 *
 * @example
 *   newUniqueId('AIDA'); // 'AIDAJQABLZS4A3QDU576Q'
 */
export function newUniqueId(prefix: UniqueIdPrefix): string {
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}
