import type { KeyScope, KmsKey } from '../../keys/key.js';
import type { ServiceDependencies } from '../../service/services.js';
import { XksKeyNotFoundException } from './xks-errors.js';

/** A key id: a UUID, or a multi-Region key's `mrk-` and 32 hex digits. */
const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
/** What may follow `alias/` in an alias a URI can name: the alias characters that are also `externalKeyId` characters. */
const ALIAS_SUFFIX = /^[A-Za-z0-9_-]{1,250}$/;

/**
 * The Strongroom key an `externalKeyId` names in the caller's account and region: a key id, or else the name of an
 * alias without its `alias/` (`keys/my-app/encrypt` uses `alias/my-app`). The specification allows only letters,
 * digits, `-`, `.` and `_` in an `externalKeyId`, so `alias/` itself, ARNs and aliases with `/` cannot be named.
 * Anything that names no key is `KeyNotFoundException`.
 *
 * @example
 *   await findXksKey(deps, { accountId, region }, '1234abcd-12ab-34cd-56ef-1234567890ab');
 *   await findXksKey(deps, { accountId, region }, 'payments'); // the key alias/payments points to
 */
export async function findXksKey(deps: ServiceDependencies, scope: KeyScope, externalKeyId: string): Promise<KmsKey> {
  const keyId = KEY_ID.test(externalKeyId) ? externalKeyId : await aliasTarget(deps, scope, externalKeyId);
  const key = keyId === undefined ? undefined : await deps.store.keys.get(scope, keyId);
  if (key === undefined) throw new XksKeyNotFoundException(`No key ${externalKeyId} exists for this credential in ${scope.region}.`);
  return key;
}

async function aliasTarget(deps: ServiceDependencies, scope: KeyScope, name: string): Promise<string | undefined> {
  if (!ALIAS_SUFFIX.test(name)) return undefined;
  return (await deps.store.aliases.get(scope, `alias/${name}`))?.targetKeyId;
}
