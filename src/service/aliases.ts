import { AlreadyExistsException, InvalidAliasNameException, ValidationException } from '../errors.js';
import { aliasArn, type Alias, type KeyScope, type KmsKey } from '../keys/key.js';
import { KEY_SPECS } from '../keys/key-spec.js';
import { DuplicateError, type Page, type PageRequest } from '../store/store.js';
import { resolveKey } from './key-resolution.js';
import type { ServiceDependencies } from './services.js';

const ALIAS_PREFIX = 'alias/';
/** Names under this prefix belong to AWS managed keys; customers can neither create nor retarget them. */
const RESERVED_ALIAS_PREFIX = 'alias/aws/';

/**
 * Checks an alias name a caller wants to create or retarget, with AWS's answers. The character set and length
 * (`^[a-zA-Z0-9:/_-]+$`, 1–256) are checked by the generated request validation before this runs; AWS refuses
 * the colon the pattern allows with a message of its own.
 *
 * @example
 *   assertCustomerAliasName('alias/payments'); // ok
 *   assertCustomerAliasName('payments');       // throws ValidationException
 *   assertCustomerAliasName('alias/aws/s3');   // throws InvalidAliasNameException
 */
export function assertCustomerAliasName(name: string): void {
  assertAliasPrefix(name);
  if (name.startsWith(RESERVED_ALIAS_PREFIX)) {
    throw new InvalidAliasNameException(
      `${name} is not a valid alias name: the alias/aws/ prefix is reserved for AWS managed keys.`,
    );
  }
  if (name.includes(':')) {
    throw new ValidationException(`${name} contains invalid characters for an alias`);
  }
}

/** Checks only that a name is in the alias namespace (DeleteAlias, which may name any existing alias). */
export function assertAliasPrefix(name: string): void {
  if (!name.startsWith(ALIAS_PREFIX)) {
    throw new ValidationException(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
}

/** Creates an alias for `target` in the caller's account and region; durable when this resolves. */
export async function createAlias(
  deps: ServiceDependencies,
  scope: KeyScope,
  name: string,
  target: KmsKey,
): Promise<Alias> {
  assertCustomerAliasName(name);
  const now = deps.now();
  const alias: Alias = { ...scope, name, targetKeyId: target.id, createdAt: now, updatedAt: now };
  try {
    await deps.store.aliases.create(alias);
  } catch (error) {
    if (error instanceof DuplicateError) {
      throw new AlreadyExistsException(`An alias with the name ${aliasArn(scope, name)} already exists`);
    }
    throw error;
  }
  return alias;
}

/**
 * Points an existing alias at another key. AWS allows this only between keys of the same type (symmetric,
 * asymmetric or HMAC) and the same key usage, so code using the alias keeps working.
 */
export async function updateAlias(
  deps: ServiceDependencies,
  scope: KeyScope,
  name: string,
  current: KmsKey,
  target: KmsKey,
): Promise<Alias> {
  assertCustomerAliasName(name);
  if (current.usage !== target.usage) {
    throw new ValidationException(
      `Alias ${name} cannot be changed from a CMK with key usage ${current.usage} to a CMK with key usage ` +
        `${target.usage}. The key usage of the current CMK and the new CMK must be the same.`,
    );
  }
  if (KEY_SPECS[current.spec].keyType !== KEY_SPECS[target.spec].keyType) {
    throw new ValidationException(
      `Alias ${name} cannot be changed from a CMK with key spec ${current.spec} to a CMK with key spec ` +
        `${target.spec}. The key type of the current CMK and the new CMK must be the same.`,
    );
  }
  const existing = await deps.store.aliases.get(scope, name);
  const now = deps.now();
  const alias: Alias = {
    ...scope,
    name,
    targetKeyId: target.id,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.store.aliases.update(alias);
  return alias;
}

export async function deleteAlias(deps: ServiceDependencies, scope: KeyScope, name: string): Promise<void> {
  assertAliasPrefix(name);
  await deps.store.aliases.delete(scope, name);
}

/**
 * One page of the caller's aliases, optionally only those of one key (named by key id, key ARN or alias).
 * A key that does not exist is AWS's `NotFoundException`, not an empty list. A marker the store did not issue
 * rejects with the store's `InvalidMarkerError`.
 */
export async function listAliases(
  deps: ServiceDependencies,
  scope: KeyScope,
  page: PageRequest & { readonly keyReference?: string },
): Promise<Page<Alias>> {
  const keyId =
    page.keyReference === undefined ? undefined : (await resolveKey(deps, page.keyReference, scope)).key.id;
  return deps.store.aliases.list(scope, {
    limit: page.limit,
    ...(page.marker !== undefined ? { marker: page.marker } : {}),
    ...(keyId !== undefined ? { keyId } : {}),
  });
}
