import { NotFoundException } from '../errors.js';
import { aliasArn, keyArn, type KeyScope, type KmsKey } from '../keys/key.js';
import { parseKeyReference, type KeyReference } from './key-reference.js';
import type { ServiceDependencies } from './services.js';

/** A key found through a reference, with the alias that named it when it was named by alias. */
export interface ResolvedKey {
  readonly key: KmsKey;
  readonly reference: KeyReference;
}

/**
 * The two forms a key id takes: a UUID, and a multi-Region key's `mrk-` with 32 hex digits. AWS refuses any
 * other bare key id before looking for it (`Invalid keyId 'fake-key-id'`), so the answer to a typo differs
 * from the answer to a well-formed id that names no key.
 */
const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;

/**
 * Finds the key a `KeyId`-like member names, or throws AWS's `NotFoundException`:
 * `Invalid keyId 'x'` for a bare key id of neither form, `Key '<arn>' does not exist` for a well-formed one
 * that names no key, `Alias <alias arn> is not found.` for an alias that does not exist.
 */
export async function resolveKey(
  deps: ServiceDependencies,
  text: string,
  callerScope: KeyScope,
): Promise<ResolvedKey> {
  const reference = parseKeyReference(text, callerScope);
  if (reference.kind === 'alias') {
    const alias = await deps.store.aliases.get(reference.scope, reference.aliasName);
    if (!alias) throw aliasNotFound(reference.scope, reference.aliasName);
    const key = await deps.store.keys.get(reference.scope, alias.targetKeyId);
    if (!key) throw keyNotFound(reference.scope, alias.targetKeyId);
    return { key, reference };
  }
  if (reference.text === reference.keyId && !KEY_ID.test(reference.keyId)) {
    throw new NotFoundException(`Invalid keyId '${reference.keyId}'`);
  }
  const key = await deps.store.keys.get(reference.scope, reference.keyId);
  if (!key) throw keyNotFound(reference.scope, reference.keyId);
  return { key, reference };
}

export function keyNotFound(scope: KeyScope, keyId: string): NotFoundException {
  return new NotFoundException(`Key '${keyArn(scope, keyId)}' does not exist`);
}

/** AWS names the missing alias by its ARN, unquoted (unlike a missing key's quoted ARN). */
export function aliasNotFound(scope: KeyScope, aliasName: string): NotFoundException {
  return new NotFoundException(`Alias ${aliasArn(scope, aliasName)} is not found.`);
}
