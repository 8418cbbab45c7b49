import { NotFoundException } from '../errors.js';
import type { KeyScope } from '../keys/key.js';

/**
 * A parsed key reference: what a `KeyId`-like member names. AWS accepts a key id, a key ARN, an alias name
 * or an alias ARN wherever a key is named (some operations refuse aliases; their declarations say so).
 */
export type KeyReference =
  | { readonly kind: 'key'; readonly scope: KeyScope; readonly keyId: string; readonly text: string }
  | { readonly kind: 'alias'; readonly scope: KeyScope; readonly aliasName: string; readonly text: string };

const ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/**
 * Parses a reference in the caller's scope (the caller's account and the request's region).
 * An ARN may name another account (cross-account use); an ARN of another region names nothing here.
 */
export function parseKeyReference(text: string, callerScope: KeyScope): KeyReference {
  if (text.startsWith('alias/')) {
    return { kind: 'alias', scope: callerScope, aliasName: text, text };
  }
  if (text.startsWith('arn:')) {
    const match = ARN.exec(text);
    if (!match) throw new NotFoundException('Invalid arn');
    const [, region, accountId, type, rest] = match as unknown as [string, string, string, string, string];
    if (region !== callerScope.region) {
      // Keys are regional: a key of another region cannot be reached through this region's endpoint.
      throw new NotFoundException(`Invalid arn ${region}`);
    }
    const scope = { accountId, region };
    return type === 'alias'
      ? { kind: 'alias', scope, aliasName: `alias/${rest}`, text }
      : { kind: 'key', scope, keyId: rest, text };
  }
  return { kind: 'key', scope: callerScope, keyId: text, text };
}
