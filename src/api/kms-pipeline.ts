import type { Authorizer } from '../auth/authorizer.js';
import type { Caller } from '../auth/caller.js';
import {
  AccessDeniedException,
  DryRunOperationException,
  InvalidKeyUsageException,
  NotFoundException,
} from '../errors.js';
import type { KeyScope } from '../keys/key.js';
import { assertKeyState } from '../keys/key-state.js';
import { resolveKey } from '../service/key-resolution.js';
import type { ServiceDependencies } from '../service/services.js';
import type { KmsOperationName } from './generated/kms-shapes.js';
import type { KeyDeclaration, Operation, ResolvedKeyContext } from './operation.js';
import { validateRequest } from './validation/validate-request.js';

/** Everything the pipeline needs besides the request itself. */
export interface KmsPipeline {
  readonly deps: ServiceDependencies;
  readonly authorizer: Authorizer;
}

export interface KmsCall {
  readonly operation: Operation;
  readonly body: unknown;
  readonly caller: Caller;
  readonly region: string;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly secureTransport: boolean;
  /** Filled in as the call proceeds, for the outcome record. */
  readonly resources: string[];
  input?: unknown;
}

/**
 * Runs one KMS operation: validate the input → resolve the keys it names → authorize → check key state and
 * usage → honour DryRun → run the handler. Every operation goes through here; handlers do none of it.
 */
export async function runKmsOperation(pipeline: KmsPipeline, call: KmsCall): Promise<unknown> {
  const { operation, caller } = call;
  const input = validateRequest(operation.name, call.body) as Record<string, unknown>;
  call.input = input;
  const scope: KeyScope = { accountId: caller.accountId, region: call.region };
  const base = { input, caller, scope, requestId: call.requestId, deps: pipeline.deps } as const;
  const authorize = (action: string, resolved?: ResolvedKeyContext) =>
    pipeline.authorizer.authorize({
      caller,
      action,
      input,
      sourceIp: call.sourceIp,
      secureTransport: call.secureTransport,
      ...(resolved ? { key: resolved.key } : {}),
      ...(resolved?.reference.kind === 'alias' ? { requestAlias: resolved.reference.aliasName } : {}),
    });

  if (!operation.key) {
    await authorize(operation.action);
    assertNotDryRun(input);
    return operation.handle(base as never);
  }

  const key = await resolveDeclaredKey(pipeline, operation.key, input, scope, call);
  await authorize(operation.key.action ?? operation.action, key);
  const destinationKey = operation.destinationKey
    ? await resolveDeclaredKey(pipeline, operation.destinationKey, input, scope, call)
    : undefined;
  if (operation.destinationKey && destinationKey) {
    await authorize(operation.destinationKey.action ?? operation.action, destinationKey);
  }
  checkKey(operation.key, key, operation.name);
  if (operation.destinationKey && destinationKey) checkKey(operation.destinationKey, destinationKey, operation.name);
  assertNotDryRun(input);
  return operation.handle({ ...base, key, ...(destinationKey ? { destinationKey } : {}) } as never);
}

async function resolveDeclaredKey(
  pipeline: KmsPipeline,
  declaration: KeyDeclaration<KmsOperationName>,
  input: Record<string, unknown>,
  scope: KeyScope,
  call: KmsCall,
): Promise<ResolvedKeyContext> {
  const text = declaration.reference(input as never);
  if (text === undefined) throw new NotFoundException('Invalid keyId');
  if (!declaration.acceptsAlias && (text.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(text))) {
    throw new NotFoundException(`Invalid keyId ${text}`);
  }
  try {
    const resolved = await resolveKey(pipeline.deps, text, scope);
    call.resources.push(resolved.key.arn);
    return resolved;
  } catch (error) {
    // A key in another account is not confirmed or denied to someone who may not use it.
    if (error instanceof NotFoundException && text.startsWith('arn:') && !text.includes(`:${scope.accountId}:`)) {
      throw new AccessDeniedException(
        `User: ${call.caller.arn} is not authorized to perform: ${declaration.action ?? call.operation.action} ` +
          `on resource: ${text} because no resource-based policy allows the ${declaration.action ?? call.operation.action} action`,
      );
    }
    throw error;
  }
}

function checkKey(declaration: KeyDeclaration<KmsOperationName>, { key }: ResolvedKeyContext, operation: string): void {
  assertKeyState(key.arn, key.state, declaration.states);
  if (declaration.usages && !declaration.usages.includes(key.usage)) {
    throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
  }
}

function assertNotDryRun(input: Record<string, unknown>): void {
  if (input['DryRun'] === true) {
    throw new DryRunOperationException('The request would have succeeded, but the DryRun option is set.');
  }
}
