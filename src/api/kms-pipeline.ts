import type { Authorizer } from '../auth/authorizer.js';
import type { Caller } from '../auth/caller.js';
import { DryRunOperationException, InvalidKeyUsageException, KmsError, NotFoundException } from '../errors.js';
import type { KeyScope } from '../keys/key.js';
import { assertKeyState } from '../keys/key-state.js';
import { resolveKey } from '../service/key-resolution.js';
import type { ServiceDependencies } from '../service/services.js';
import { foreignKeyDenied, namesAnotherAccount } from './foreign-key.js';
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
 * Runs one KMS operation: validate the input (its shape, then the operation's own `validate`) → resolve the
 * keys it names → authorize → check key state and usage → honour DryRun (with the operation's own dry-run
 * checks) → run the handler. Every operation goes through here; handlers do none of it.
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

  // A key of another account may be refused, but never in a way that tells whether it exists (foreign-key.ts).
  // Its record names it only when the request was not denied, so a denial is recorded in the caller's trail
  // (never the owner's) whether the key exists or not: where a record goes must not tell the caller either.
  const foreignArns: string[] = [];
  const authorizeKey = async (action: string, named: NamedKey) => {
    try {
      await authorize(action, named.resolved);
    } catch (error) {
      if (named.foreign && error instanceof KmsError && error.status < 500) {
        throw foreignKeyDenied(caller, action, named.reference);
      }
      throw error;
    }
    if (named.foreign) {
      call.resources.push(named.resolved.key.arn);
      foreignArns.push(named.resolved.key.arn);
    }
  };
  try {
    const validated: unknown = operation.validate?.(input as never);
    const source = await resolveDeclaredKey(pipeline, operation.key, input, validated, scope, call);
    await authorizeKey(actionOf(operation.key, operation), source);
    const destination = operation.destinationKey
      ? await resolveDeclaredKey(pipeline, operation.destinationKey, input, validated, scope, call)
      : undefined;
    if (operation.destinationKey && destination) {
      await authorizeKey(actionOf(operation.destinationKey, operation), destination);
    }
    const key = source.resolved;
    const destinationKey = destination?.resolved;
    checkKey(operation.key, key, operation.name);
    if (operation.destinationKey && destinationKey) checkKey(operation.destinationKey, destinationKey, operation.name);
    const context = { ...base, validated, key, ...(destinationKey ? { destinationKey } : {}) };
    if (input['DryRun'] === true) await operation.dryRun?.(context as never);
    assertNotDryRun(input);
    return await operation.handle(context as never);
  } catch (error) {
    // A later step may deny too (RetireGrant of a grant that does not exist on another account's key).
    if (error instanceof KmsError && error.type === 'AccessDeniedException') {
      for (const arn of foreignArns) call.resources.splice(call.resources.indexOf(arn), 1);
    }
    throw error;
  }
}

/** A resolved key with the reference text that named it and whether that text names another account. */
interface NamedKey {
  readonly resolved: ResolvedKeyContext;
  readonly reference: string;
  readonly foreign: boolean;
}

function actionOf(declaration: KeyDeclaration<KmsOperationName>, operation: Operation): string {
  return declaration.action ?? operation.action;
}

async function resolveDeclaredKey(
  pipeline: KmsPipeline,
  declaration: KeyDeclaration<KmsOperationName>,
  input: Record<string, unknown>,
  validated: unknown,
  scope: KeyScope,
  call: KmsCall,
): Promise<NamedKey> {
  const text = declaration.reference(input as never, validated as never);
  if (text === undefined) throw new NotFoundException('Invalid keyId');
  if (!declaration.acceptsAlias && (text.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(text))) {
    throw new NotFoundException(`Invalid keyId ${text}`);
  }
  const foreign = namesAnotherAccount(text, scope);
  try {
    const resolved = await resolveKey(pipeline.deps, text, scope);
    if (!foreign) call.resources.push(resolved.key.arn);
    return { resolved, reference: text, foreign };
  } catch (error) {
    // A key in another account is not confirmed or denied to someone who may not use it.
    if (foreign && error instanceof NotFoundException) {
      throw foreignKeyDenied(call.caller, actionOf(declaration, call.operation), text);
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
