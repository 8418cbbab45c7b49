import { NotFoundException } from '../errors.js';
import { aliasArn, keyArn, type KeyScope, type KmsKey } from '../keys/key.js';
import { parseKeyReference, type KeyReference } from './key-reference.js';
import type { ServiceDependencies } from './services.js';

/** A key found through a reference, with the alias that named it when it was named by alias. */
export interface ResolvedKey {
  readonly key: KmsKey;
  readonly reference: KeyReference;
}

/** Finds the key a `KeyId`-like member names, or throws AWS's `NotFoundException`. */
export async function resolveKey(
  deps: ServiceDependencies,
  text: string,
  callerScope: KeyScope,
): Promise<ResolvedKey> {
  const reference = parseKeyReference(text, callerScope);
  if (reference.kind === 'alias') {
    const alias = await deps.store.aliases.get(reference.scope, reference.aliasName);
    if (!alias) {
      throw new NotFoundException(`Alias '${aliasArn(reference.scope, reference.aliasName)}' is not found.`);
    }
    const key = await deps.store.keys.get(reference.scope, alias.targetKeyId);
    if (!key) throw keyNotFound(reference.scope, alias.targetKeyId);
    return { key, reference };
  }
  const key = await deps.store.keys.get(reference.scope, reference.keyId);
  if (!key) throw keyNotFound(reference.scope, reference.keyId);
  return { key, reference };
}

export function keyNotFound(scope: KeyScope, keyId: string): NotFoundException {
  return new NotFoundException(`Key '${keyArn(scope, keyId)}' does not exist`);
}
