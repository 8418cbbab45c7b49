import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who a KMS request is for, readable by the service code it reaches without passing it through every function: an
 * external key store's proxy call carries it (`requestMetadata`: the AWS principal, the KMS operation, the request
 * id), so that the proxy's audit trail can be matched with this server's. It holds no secret and decides nothing;
 * work outside a request (background jobs) has none.
 */
export interface RequestContext {
  readonly requestId: string;
  /** The KMS operation, e.g. `Encrypt`. */
  readonly operation: string;
  /** The ARN of the principal that signed the request. */
  readonly principalArn: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` as part of a request: `currentRequest()` inside it, however deep and asynchronous, returns `context`. */
export function runInRequest<T>(context: RequestContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

/** The request the caller's code runs for, or undefined outside one. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
