import type { Authenticated, SignedService } from '../../auth/authenticator.js';
import type { QueryContext } from './query-context.js';
import type { XmlValue } from './xml-wire.js';

/**
 * One action of a query-protocol service (STS, IAM): parameters in, an XML result tree out.
 * Its own module because both sides name it: the endpoint that dispatches actions and the files that declare them.
 */
export interface QueryAction {
  readonly service: SignedService;
  readonly namespace: string;
  readonly readOnly: boolean;
  handle(parameters: URLSearchParams, identity: Authenticated, context: QueryContext): Promise<XmlValue>;
}
