import type { RequestTerms } from '../../auth/authorization/request-terms.js';
import type { Tag } from '../generated/kms-shapes.js';

/**
 * An operation's terms from members it may or may not carry: what is undefined is left out (the authorizer
 * then treats the condition key as absent, as AWS does).
 *
 * @example
 *   terms: (input) => stated({ encryptionContext: input.EncryptionContext, grantTokens: input.GrantTokens }),
 */
export function stated<Terms extends object = RequestTerms>(terms: { readonly [Term in keyof Terms]?: Terms[Term] | undefined }): Terms {
  return Object.fromEntries(Object.entries(terms).filter(([, value]) => value !== undefined)) as Terms;
}

/** Wire tags in the authorizer's words. */
export function requestedTags(tags: readonly Tag[] | undefined): RequestTerms['tags'] {
  return tags?.map((tag) => ({ key: tag.TagKey, value: tag.TagValue }));
}
