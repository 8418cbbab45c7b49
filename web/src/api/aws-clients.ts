import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import type { Session } from './session';

/** The AWS SDK clients the console uses, all pointed at the server that served the page (same origin only). */
export interface AwsClients {
  readonly kms: KMSClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly cloudTrail: CloudTrailClient;
}

/** What each client needs to sign: the server's origin as its endpoint, the session's region and credentials. */
export function clientConfig(credentials: Pick<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'region'>) {
  return {
    endpoint: window.location.origin,
    region: credentials.region,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    // A console shows failures as they are; a retried write could surprise its user.
    maxAttempts: 1,
  };
}

export function awsClients(session: Session): AwsClients {
  const config = clientConfig(session);
  return {
    kms: new KMSClient(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
    cloudTrail: new CloudTrailClient(config),
  };
}
