/**
 * Who a KMS request is for, handed to the service code it reaches as `ServiceDependencies.request`: an external key
 * store's proxy call carries it (`requestMetadata`: the AWS principal, the KMS operation, the request id), so that
 * the proxy's audit trail can be matched with this server's. It holds no secret and decides nothing; work outside a
 * request (background jobs) has none.
 *
 * Passed explicitly rather than through AsyncLocalStorage: on Node 20 an AsyncLocalStorage in use installs promise
 * hooks that every promise of every request pays for, about 7% of an Encrypt's CPU under load (issue #19).
 */
export interface RequestContext {
  readonly requestId: string;
  /** The KMS operation, e.g. `Encrypt`. */
  readonly operation: string;
  /** The ARN of the principal that signed the request. */
  readonly principalArn: string;
}
