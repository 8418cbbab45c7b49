import { uriEncode } from './uri-encoding.js';

/**
 * The canonical URI of SigV4 for every AWS service but S3, from the raw path the client sent.
 *
 * Dot segments are resolved and empty segments dropped (as the AWS SDKs normalise before signing: `//a/./b/..`
 * becomes `/a`, a trailing slash is kept), then each segment is URI-encoded. Because the received path is
 * already percent-encoded, encoding it again is the "double encoding" these services expect: a client that
 * signed the object name `a b` sent `/a%20b` and signed `/a%2520b`.
 *
 * @example canonicalUri('/example space/') === '/example%20space/'
 * @example canonicalUri('/a%20b') === '/a%2520b'
 */
export function canonicalUri(rawPath: string): string {
  // Every KMS, STS and IAM request is `POST /`: skip the work.
  if (rawPath === '/' || rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${rawPath.endsWith('/') ? '/' : ''}`;
}
