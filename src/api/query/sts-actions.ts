import { assumeRole, SESSION_DURATION } from '../../service/identities/assume-role.js';
import { isDevelopmentCredential } from '../../auth/credential-resolver.js';
import { ValidationError } from '../../errors.js';
import { ROLE_SESSION_NAME, optionalInteger, optionalValid, requireValid } from '../../service/identities/iam-names.js';
import type { QueryAction } from './query-action.js';
import { iamTimestamp } from './iam/iam-wire.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const ROLE_ARN = { min: 20, max: 2048, pattern: /^[\u0009\u000a\u000d\u0020-\u007e\u0085\u00a0-\ud7ff\ue000-\ufffd]+$/u, shown: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+' };
const EXTERNAL_ID = { min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/u, shown: '[\\w+=,.@:\\/-]*' };

/**
 * Parameters Strongroom does not implement. Session policies and session tags narrow or describe what a
 * session may do; accepting and ignoring them would grant more than the caller asked for, so they are refused.
 */
const UNSUPPORTED_PARAMETERS = ['Policy', 'PolicyArns', 'Tags', 'TransitiveTagKeys', 'SerialNumber', 'TokenCode', 'SourceIdentity', 'ProvidedContexts'];

const GetCallerIdentity: QueryAction = {
  service: 'sts',
  namespace: STS_NAMESPACE,
  readOnly: true,
  async handle(_parameters, { caller }) {
    return { Arn: caller.arn, UserId: caller.principalId, Account: caller.accountId };
  },
};

const AssumeRole: QueryAction = {
  service: 'sts',
  namespace: STS_NAMESPACE,
  readOnly: false,
  async handle(parameters, { caller }, { iam, sourceIp }) {
    const get = (name: string) => parameters.get(name) ?? undefined;
    for (const name of parameters.keys()) {
      if (UNSUPPORTED_PARAMETERS.some((unsupported) => name === unsupported || name.startsWith(`${unsupported}.`))) {
        throw new ValidationError(`Strongroom does not support the AssumeRole parameter ${name.split('.')[0]}.`);
      }
    }
    const roleArn = requireValid('roleArn', get('RoleArn'), ROLE_ARN);
    const roleSessionName = requireValid('roleSessionName', get('RoleSessionName'), ROLE_SESSION_NAME);
    const durationSeconds = optionalInteger('durationSeconds', get('DurationSeconds'), SESSION_DURATION.min, 43_200);
    const externalId = optionalValid('externalId', get('ExternalId'), EXTERNAL_ID);
    const session = await assumeRole(
      iam,
      caller,
      {
        roleArn,
        roleSessionName,
        sourceIp,
        ...(durationSeconds !== undefined ? { durationSeconds } : {}),
        ...(externalId !== undefined ? { externalId } : {}),
      },
      { allowRootCaller: isDevelopmentCredential(caller) },
    );
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        // The one response that carries these secrets; only their wrapped form and digest are stored.
        SecretAccessKey: session.secretAccessKey.expose().toString('utf8'),
        SessionToken: session.sessionToken.expose().toString('utf8'),
        Expiration: iamTimestamp(session.expiresAt),
      },
      AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.assumedRoleArn },
    };
  },
};

export const STS_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [
  ['GetCallerIdentity', GetCallerIdentity],
  ['AssumeRole', AssumeRole],
];
