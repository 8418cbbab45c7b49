import { credentialNotFiveParts, invalidCredentialScope, scopeProblems } from './failures.js';

/** The parts of a SigV4 credential: `accessKeyId/YYYYMMDD/region/service/aws4_request`. */
export interface Credential {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
}

/**
 * Splits a credential into its five parts (trailing slashes ignored, as AWS does), or throws AWS's
 * `IncompleteSignatureException`.
 */
export function parseCredential(credential: string): Credential {
  let end = credential.length;
  while (end > 0 && credential.charCodeAt(end - 1) === 47 /* / */) end -= 1;
  const parts = credential.slice(0, end).split('/');
  if (parts.length !== 5) throw credentialNotFiveParts(credential);
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator };
}

/**
 * The shape of AWS region names (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`): one Strongroom serves
 * every region, so any region name is valid; `aws-global` or `local` are not.
 */
export function isAwsRegionName(region: string): boolean {
  return /^[a-z]{2,4}(-[a-z0-9]+)+-\d{1,2}$/.test(region);
}

export interface ScopeExpectations {
  /** Accepted services; the first is the one error messages name. */
  readonly services: readonly string[];
  readonly isValidRegion: (region: string) => boolean;
  /** The request's X-Amz-Date (`YYYYMMDDTHHMMSSZ`): the scope's date must be its day. */
  readonly amzDate: string;
}

/**
 * Checks region, service, terminator and date of the scope; throws AWS's `InvalidSignatureException`
 * listing every problem found, in AWS's order.
 */
export function checkCredentialScope(credential: Credential, expected: ScopeExpectations): void {
  const problems: string[] = [];
  if (!expected.isValidRegion(credential.region)) problems.push(scopeProblems.region(credential.region));
  if (!expected.services.includes(credential.service)) problems.push(scopeProblems.service(expected.services[0] ?? ''));
  if (credential.terminator !== 'aws4_request') problems.push(scopeProblems.terminator(credential.terminator));
  if (!expected.amzDate.startsWith(credential.date) || credential.date.length !== 8) {
    problems.push(scopeProblems.date(credential.date, expected.amzDate));
  }
  if (problems.length > 0) throw invalidCredentialScope(problems);
}
