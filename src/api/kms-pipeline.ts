import type { Authorizer } from '../auth/authorization/authorizer.js';
import type { RequestTerms } from '../auth/authorization/request-terms.js';
import {
  AccessDeniedException,
  DryRunOperationException,
  InvalidKeyUsageException,
  KMSInvalidStateException,
  KmsError,
  NotFoundException,
} from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import { presentedKeyState } from '../keys/custom-key-store.js';
import { assertKeyState } from '../keys/key-state.js';
import { keyStoreOf } from '../service/custom-key-stores/store-keys.js';
import { EXTERNAL_KEY_STORE_NOT_CONNECTED } from '../service/external-key-stores/xks-failures.js';
import { resolveKey, type ResolvedKey } from '../service/key-resolution.js';
import type { RequestQuotas } from '../service/quotas/request-quotas.js';
import type { ServiceDependencies } from '../service/services.js';
import { foreignKeyDenied, namesAnotherAccount } from './foreign-key.js';
import type { KmsOperationName } from './generated/kms-shapes.js';
import type { KeyDeclaration, KeyOperation, KeyRequest, KmsRequest, Operation } from './operation.js';
import { failingWith, RequestFailure, type AuthenticatedFacts, type RequestFacts } from './request-facts.js';
import { validateRequest } from './validation/validate-request.js';

/** Everything the pipeline needs besides the request itself. */
export interface KmsPipeline {
  readonly deps: ServiceDependencies;
  readonly authorizer: Authorizer;
  /** AWS's request quotas (none: no request is throttled). */
  readonly quotas?: RequestQuotas;
}

/** The operation's output and the request's facts as the pipeline leaves them (input and keys added). */
export interface PipelineResult {
  readonly facts: RequestFacts;
  readonly output: unknown;
}

/**
 * Runs one KMS operation: validate the input (its shape, then the operation's own `validate`) → resolve the
 * keys it names → authorize → spend the request quota → check key state and usage → honour DryRun (with the
 * operation's own dry-run checks) → run the handler. Every operation goes through here; handlers do none of it. A failure leaves as a
 * `RequestFailure` carrying the facts learned up to it (request-facts.ts).
 */
export async function runKmsOperation(
  pipeline: KmsPipeline,
  operation: Operation,
  authenticated: AuthenticatedFacts,
  body: unknown,
): Promise<PipelineResult> {
  const input = await failingWith(authenticated, () => validateRequest(operation.name, body) as Record<string, unknown>);
  const facts: AuthenticatedFacts = Object.freeze({ ...authenticated, input });
  const { caller, region, requestId } = facts;
  const request: KmsRequest<KmsOperationName> = Object.freeze({
    requestId,
    caller,
    scope: { accountId: caller.accountId, region },
    input: input as never,
  });
  // The handler's dependencies carry the request: what an external key store's proxy is told of the request it
  // serves (service/request-context.ts).
  const deps: ServiceDependencies = { ...pipeline.deps, request: { requestId, operation: operation.name, principalArn: caller.arn } };
  if (!operation.key) {
    return failingWith(facts, async () => {
      await authorize(pipeline, facts, operation.action, operation.terms?.(input as never) ?? {});
      await spendQuota(pipeline, facts, operation.name);
      assertNotDryRun(input);
      return { facts, output: await operation.handle(request as never, deps) };
    });
  }
  return runKeyOperation(pipeline, deps, operation, facts, request);
}

async function runKeyOperation(
  pipeline: KmsPipeline,
  deps: ServiceDependencies,
  operation: KeyOperation<KmsOperationName>,
  facts: AuthenticatedFacts,
  request: KmsRequest<KmsOperationName>,
): Promise<PipelineResult> {
  const input = facts.input as Record<string, unknown>;
  // The keys named so far: whatever fails, the record names those `recordedArns` allows.
  const named: NamedKey[] = [];
  try {
    const validated: unknown = operation.validate?.(input as never);
    const source = await nameKey(pipeline, operation, operation.key, { facts, request, validated, named });
    const destination = operation.destinationKey
      ? await nameKey(pipeline, operation, operation.destinationKey, { facts, request, validated, named })
      : undefined;
    if (operation.alsoAuthorize) {
      const onKey = Object.freeze({ ...request, validated, key: source.key });
      for (const further of await operation.alsoAuthorize(onKey as never, deps)) {
        const resolved = further.key && { key: further.key, reference: { kind: 'key' as const, scope: further.key, keyId: further.key.id, text: further.key.arn } };
        await authorize(pipeline, facts, further.action, further.terms, resolved);
      }
    }
    // After authorization, so a throttle never tells a caller what kind of key it may not use.
    await spendQuota(pipeline, facts, operation.name, source.key, source.terms);
    await checkKey(pipeline, operation.key, source.key, operation.name);
    if (operation.destinationKey && destination) await checkKey(pipeline, operation.destinationKey, destination.key, operation.name);
    const keyRequest: KeyRequest<KmsOperationName, unknown> = Object.freeze({
      ...request,
      validated,
      key: source.key,
      ...(destination ? { destinationKey: destination.key } : {}),
    });
    if (input['DryRun'] === true) await operation.dryRun?.(keyRequest as never, deps);
    assertNotDryRun(input);
    const output = await operation.handle(keyRequest as never, deps);
    return { facts: Object.freeze({ ...facts, resources: recordedArns(named) }), output };
  } catch (error) {
    throw new RequestFailure(error, Object.freeze({ ...facts, resources: recordedArns(named, error) }));
  }
}

/** What naming a key reads, and the list of named keys it adds the key to. */
interface NamingContext {
  readonly facts: AuthenticatedFacts;
  readonly request: KmsRequest<KmsOperationName>;
  readonly validated: unknown;
  readonly named: NamedKey[];
}

/**
 * Resolves and authorizes one key the request names. The key joins `named` once resolved, as not yet
 * authorized, and is marked authorized once it is.
 */
async function nameKey(
  pipeline: KmsPipeline,
  operation: KeyOperation<KmsOperationName>,
  declaration: KeyDeclaration<KmsOperationName>,
  { facts, request, validated, named }: NamingContext,
): Promise<{ key: KmsKey; terms: RequestTerms }> {
  const action = declaration.action ?? operation.action;
  const text = referenceOf(declaration, request, validated);
  const foreign = namesAnotherAccount(text, request.scope);
  const resolved = await resolveNamed(pipeline, text, request, foreign, action);
  const index = named.push({ arn: resolved.key.arn, foreign, authorized: false }) - 1;
  const terms = (declaration.terms ?? operation.terms)?.(request.input as never) ?? {};
  await authorizeNamed(pipeline, facts, { action, terms, resolved, text, foreign });
  named[index] = { arn: resolved.key.arn, foreign, authorized: true };
  return { key: resolved.key, terms };
}

/** A key the request named, as its record will know it. */
interface NamedKey {
  readonly arn: string;
  /** Named by a reference into another account than the caller's. */
  readonly foreign: boolean;
  readonly authorized: boolean;
}

/**
 * The keys a request's record names. A key of another account may be refused, but never in a way that tells
 * whether it exists (foreign-key.ts); its record names it only when the request was not denied — by the key's
 * authorization or by a later step (RetireGrant of a grant that does not exist on another account's key) — so
 * a denial is recorded in the caller's trail, never the owner's, whether the key exists or not: where a record
 * goes must not tell the caller either.
 */
function recordedArns(keys: readonly NamedKey[], error?: unknown): string[] {
  const denied = error instanceof AccessDeniedException;
  return keys.filter((key) => !key.foreign || (key.authorized && !denied)).map((key) => key.arn);
}

function referenceOf(declaration: KeyDeclaration<KmsOperationName>, request: KmsRequest<KmsOperationName>, validated: unknown): string {
  const text = declaration.reference(request.input as never, validated as never, request.scope);
  if (text === undefined) throw new NotFoundException('Invalid keyId');
  if (!declaration.acceptsAlias && (text.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(text))) {
    throw new NotFoundException(`Invalid keyId ${text}`);
  }
  return text;
}

async function resolveNamed(
  pipeline: KmsPipeline,
  text: string,
  request: KmsRequest<KmsOperationName>,
  foreign: boolean,
  action: string,
): Promise<ResolvedKey> {
  try {
    return await resolveKey(pipeline.deps, text, request.scope);
  } catch (error) {
    // A key in another account is not confirmed or denied to someone who may not use it.
    if (foreign && error instanceof NotFoundException) throw foreignKeyDenied(request.caller, action, text);
    throw error;
  }
}

/** A key's authorization question: the action on it, the request's terms, and how the key was named. */
interface KeyQuestion {
  readonly action: string;
  readonly terms: RequestTerms;
  readonly resolved: ResolvedKey;
  /** The reference text that named the key. */
  readonly text: string;
  readonly foreign: boolean;
}

async function authorizeNamed(pipeline: KmsPipeline, facts: AuthenticatedFacts, question: KeyQuestion): Promise<void> {
  const { action, terms, resolved, text, foreign } = question;
  try {
    await authorize(pipeline, facts, action, terms, resolved);
  } catch (error) {
    if (foreign && error instanceof KmsError && error.status < 500) throw foreignKeyDenied(facts.caller, action, text);
    throw error;
  }
}

function authorize(
  pipeline: KmsPipeline,
  facts: AuthenticatedFacts,
  action: string,
  terms: RequestTerms,
  resolved?: ResolvedKey,
): Promise<void> | void {
  return pipeline.authorizer.authorize({
    requestId: facts.requestId,
    caller: facts.caller,
    action,
    terms,
    sourceIp: facts.sourceIp,
    secureTransport: facts.tls !== undefined,
    ...(resolved ? { key: resolved.key } : {}),
    ...(resolved?.reference.kind === 'alias' ? { requestAlias: resolved.reference.aliasName } : {}),
  });
}

/** Spends one request of the quota the request counts against (the caller's account's), or throttles it. */
async function spendQuota(
  pipeline: KmsPipeline,
  facts: AuthenticatedFacts,
  operation: string,
  key?: KmsKey,
  terms?: RequestTerms,
): Promise<void> {
  const waiting = pipeline.quotas?.take(facts.caller.accountId, facts.region, operation, key?.spec, terms?.dataKeyPairSpec);
  if (waiting) await waiting;
}

/**
 * The key's state as the caller sees it (`Unavailable` in a disconnected custom key store), then its usage. A key of an
 * external key store that is not connected answers cryptography as the XKS specification says AWS does: with
 * `KMSInvalidStateException` and its message, where a CloudHSM key store's gets `KeyUnavailableException`.
 */
async function checkKey(pipeline: KmsPipeline, declaration: KeyDeclaration<KmsOperationName>, key: KmsKey, operation: string): Promise<void> {
  const store = key.customKeyStoreId === undefined ? undefined : await keyStoreOf(pipeline.deps, key);
  const state = presentedKeyState(key, store);
  if (store?.type === 'EXTERNAL_KEY_STORE' && state === 'Unavailable' && declaration.states === 'use') {
    throw new KMSInvalidStateException(EXTERNAL_KEY_STORE_NOT_CONNECTED);
  }
  assertKeyState(key.arn, state, declaration.states);
  if (declaration.usages && !declaration.usages.includes(key.usage)) {
    throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
  }
}

function assertNotDryRun(input: Record<string, unknown>): void {
  if (input['DryRun'] === true) {
    throw new DryRunOperationException('The request would have succeeded, but the DryRun option is set.');
  }
}
