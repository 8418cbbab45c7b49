import type { QueryAction } from './query-endpoint.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const GetCallerIdentity: QueryAction = {
  service: 'sts',
  namespace: STS_NAMESPACE,
  readOnly: true,
  async handle(_parameters, { caller }) {
    return { Arn: caller.arn, UserId: caller.principalId, Account: caller.accountId };
  },
};

export const STS_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [['GetCallerIdentity', GetCallerIdentity]];
