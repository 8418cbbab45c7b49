import * as kmsSdk from '@aws-sdk/client-kms';
import { KMSServiceException, type KMSClient } from '@aws-sdk/client-kms';
import { callKms } from '../../security/kms-json.js';
import type { TestServer } from '../../support/server.js';
import {
  Like,
  UNVERIFIED_MESSAGE,
  type Call,
  type CaseContext,
  type Computed,
  type Expected,
  type RecordedCase,
  type Shape,
  type ShapeValue,
  type WireInput,
} from './recorded-case.js';

/** What our server answered: the members of a success, or the exception name and message of an error. */
export type Answer =
  | { readonly kind: 'success'; readonly output: Readonly<Record<string, unknown>> }
  | { readonly kind: 'error'; readonly error: string; readonly message: string };

const DEFAULT_REGION = 'us-east-1';

/**
 * Runs one recorded case against the server: creates its keys, makes its earlier calls (each must succeed),
 * sends the recorded request and returns the differences between our answer and AWS's (empty when they agree).
 */
export async function runRecordedCase(server: TestServer, recorded: RecordedCase): Promise<string[]> {
  const keys = new Map<string, { KeyId: string; Arn: string }>();
  const outputs = new Map<string, Readonly<Record<string, unknown>>>();
  const context: CaseContext = {
    accountId: server.accountId,
    region: DEFAULT_REGION,
    key: (name) => found(keys.get(name), `key '${name}'`),
    output: (name) => found(outputs.get(name), `output '${name}'`),
    arnOf: (keyId, region = DEFAULT_REGION) => `arn:aws:kms:${region}:${server.accountId}:key/${keyId}`,
  };
  for (const [name, setup] of Object.entries(recorded.keys ?? {})) {
    const created = await send(server, 'sdk', { operation: 'CreateKey', input: setup.input, ...regionOf(setup) }, context);
    const metadata = created.kind === 'success' ? (created.output['KeyMetadata'] as { KeyId: string; Arn: string }) : undefined;
    if (!metadata) throw new Error(`creating key '${name}' failed: ${describe(created)}`);
    keys.set(name, { KeyId: metadata.KeyId, Arn: metadata.Arn });
  }
  for (const call of recorded.before ?? []) {
    const answer = await send(server, 'sdk', call, context);
    if (answer.kind === 'error') throw new Error(`${call.operation} before the recorded call failed: ${describe(answer)}`);
    if (call.saveAs) outputs.set(call.saveAs, answer.output);
  }
  const answer = await send(server, transportFor(recorded.expect), recorded.call, context);
  return compare(answer, recorded.expect, context);
}

/**
 * The real SDK, except where the recording says AWS sent an error without a message: the SDK replaces an
 * absent message with "UnknownError", so only the signed JSON answer shows what the server wrote.
 */
function transportFor(expected: Expected): 'sdk' | 'json' {
  return 'error' in expected && expected.message === '' ? 'json' : 'sdk';
}

async function send(server: TestServer, transport: 'sdk' | 'json', call: Call, context: CaseContext): Promise<Answer> {
  const input = evaluate(call.input, context);
  const region = call.region ?? DEFAULT_REGION;
  if (transport === 'json') {
    const answer = await callKms(server, server.credentials, call.operation, toJson(input) as Record<string, unknown>, region);
    return answer.error === undefined
      ? { kind: 'success', output: answer.body }
      : { kind: 'error', error: answer.error, message: answer.message ?? '' };
  }
  try {
    const output = (await sdkClient(server, region).send(commandFor(call.operation, input))) as unknown as Record<string, unknown>;
    const { $metadata: _metadata, ...members } = output;
    return { kind: 'success', output: members };
  } catch (error) {
    if (error instanceof KMSServiceException) return { kind: 'error', error: error.name, message: error.message };
    throw error;
  }
}

const clients = new WeakMap<TestServer, Map<string, KMSClient>>();
function sdkClient(server: TestServer, region: string): KMSClient {
  const byRegion = clients.get(server) ?? new Map<string, KMSClient>();
  clients.set(server, byRegion);
  const client = byRegion.get(region) ?? server.kms(region);
  byRegion.set(region, client);
  return client;
}

type AnyCommand = Parameters<KMSClient['send']>[0];
/** The SDK's command class for an operation, by the name AWS gives it (`Encrypt` → `EncryptCommand`). */
function commandFor(operation: string, input: WireInput): AnyCommand {
  const Command = (kmsSdk as unknown as Record<string, unknown>)[`${operation}Command`];
  if (typeof Command !== 'function') throw new Error(`the SDK has no command for ${operation}`);
  return new (Command as new (input: WireInput) => AnyCommand)(input);
}

function compare(answer: Answer, expected: Expected, context: CaseContext): string[] {
  if ('error' in expected) {
    if (answer.kind === 'success') return [`expected ${expected.error}, got a success: ${describe(answer)}`];
    const problems = answer.error === expected.error ? [] : [`exception ${answer.error}, AWS ${expected.error}`];
    if (expected.message !== UNVERIFIED_MESSAGE) {
      const message = evaluate(expected.message, context);
      if (!matches(answer.message, message)) {
        problems.push(`message ${JSON.stringify(answer.message)}, AWS ${describeExpected(message)}`);
      }
    }
    return problems;
  }
  if (answer.kind === 'error') return [`expected a success, got ${describe(answer)}`];
  return compareShape(answer.output, expected.shape, context, '', {
    allowed: new Set(expected.addedSince ?? []),
    partial: expected.partial === true,
  });
}

function compareShape(
  actual: unknown,
  shape: Shape,
  context: CaseContext,
  path: string,
  topLevel?: { allowed: ReadonlySet<string>; partial: boolean },
): string[] {
  if (typeof actual !== 'object' || actual === null) return [`${path || 'answer'} is ${typeof actual}, AWS an object`];
  const members = actual as Record<string, unknown>;
  const problems: string[] = [];
  for (const [name, value] of Object.entries(shape)) {
    const where = path ? `${path}.${name}` : name;
    if (!(name in members) || members[name] === undefined) {
      problems.push(`${where} is missing`);
      continue;
    }
    problems.push(...compareValue(members[name], value, context, where));
  }
  if (!topLevel?.partial) {
    for (const name of Object.keys(members)) {
      if (!(name in shape) && !topLevel?.allowed.has(name) && members[name] !== undefined) {
        problems.push(`${path ? `${path}.` : ''}${name} is in our answer, not in AWS's`);
      }
    }
  }
  return problems;
}

function compareValue(actual: unknown, expected: ShapeValue, context: CaseContext, where: string): string[] {
  const value = typeof expected === 'function' ? expected(context) : expected;
  if (value instanceof Like || typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return matches(actual, value) ? [] : [`${where} is ${describeValue(actual)}, AWS ${describeExpected(value)}`];
  }
  return compareShape(actual, value as Shape, context, where);
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected instanceof Like) return expected.accepts(actual);
  if (expected instanceof Uint8Array) {
    return actual instanceof Uint8Array && Buffer.compare(Buffer.from(actual), Buffer.from(expected)) === 0;
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function evaluate<T>(value: Computed<T>, context: CaseContext): T {
  return typeof value === 'function' ? (value as (context: CaseContext) => T)(context) : value;
}

/** The JSON 1.1 form of SDK input: blobs become base64 strings. */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, member]) => [name, toJson(member)]));
  }
  return value;
}

function regionOf(setup: { readonly region?: string }): { region?: string } {
  return setup.region ? { region: setup.region } : {};
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the case has no ${what}`);
  return value;
}

function describe(answer: Answer): string {
  return answer.kind === 'error'
    ? `${answer.error}: ${JSON.stringify(answer.message)}`
    : `members ${Object.keys(answer.output).join(', ')}`;
}

function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `a blob of ${value.length} bytes`;
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  return JSON.stringify(value);
}

function describeExpected(value: unknown): string {
  return value instanceof Like ? value.description : describeValue(value);
}
