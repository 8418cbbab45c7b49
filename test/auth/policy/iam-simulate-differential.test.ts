import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { defaultKeyPolicy, evaluateKeyAccess, parsePolicy, type ConditionValue, type DecisionEffect } from '../../../src/auth/policy/index.js';
import { ACCOUNT, bob, KEY_ARN, request } from './policy-fixtures.js';

/**
 * Differential test of identity-policy semantics against @cloud-copilot/iam-simulate: seeded random identity
 * policies (operators, IfExists, set qualifiers, wildcards, Not- elements, policy variables) evaluated for a
 * user whose key policy delegates to the account (AWS's default key policy), so the identity policies decide.
 *
 * Deliberate difference, kept out of the generator: iam-simulate evaluates `NotIpAddress` with a bare address
 * (no /prefix) as false for a request from the other IP family; we treat a bare address as /32 (/128), so an
 * IPv6 caller is "not in" an IPv4 address, as for a CIDR block (condition-operators.test.ts covers bare addresses).
 * Second: iam-simulate evaluates `ForAnyValue:...IfExists` on an absent key as false; we follow the IAM User
 * Guide's IfExists rule ("if the key is not present, evaluate the condition element as true").
 */
const CASES = 300;
const SEED = 0x5eed_2026;

/** mulberry32: a small deterministic PRNG, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface KeyDomain {
  readonly operators: readonly string[];
  readonly policyValues: readonly string[];
  readonly contextValues: readonly string[];
  readonly multivalued?: boolean;
}

const STRING_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const KEYS: Readonly<Record<string, KeyDomain>> = {
  'aws:username': { operators: STRING_OPERATORS, policyValues: ['bob', 'Bob', 'b*', '?ob', 'alice', '${aws:username}'], contextValues: ['bob'] },
  'kms:EncryptionAlgorithm': { operators: STRING_OPERATORS, policyValues: ['SYMMETRIC_DEFAULT', '*_DEFAULT', 'symmetric_default', 'RSAES_*'], contextValues: ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256'] },
  'kms:CallerAccount': { operators: STRING_OPERATORS, policyValues: [ACCOUNT, '444455556666', '1111*'], contextValues: [ACCOUNT] },
  'kms:ViaService': { operators: STRING_OPERATORS, policyValues: ['ec2.us-east-1.amazonaws.com', 'ec2.*', '*.amazonaws.com', 's3.us-east-1.amazonaws.com'], contextValues: ['ec2.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com'] },
  'kms:EncryptionContextKeys': {
    operators: STRING_OPERATORS.flatMap((operator) => [`ForAllValues:${operator}`, `ForAnyValue:${operator}`]),
    policyValues: ['Department', 'Project', 'dep*', 'Owner'],
    contextValues: ['Department', 'Project', 'Owner'],
    multivalued: true,
  },
  'aws:SourceIp': { operators: ['IpAddress', 'NotIpAddress'], policyValues: ['192.0.2.0/24', '198.51.100.0/25', '2001:db8::/32', '10.0.0.0/8', '192.0.2.10/32'], contextValues: ['192.0.2.10', '198.51.100.7', '2001:db8::5', '203.0.113.1'] },
  'aws:CurrentTime': {
    operators: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    policyValues: ['2026-01-01T00:00:00Z', '2025-12-31T00:00:00Z', '2026-06-01T00:00:00Z'],
    contextValues: ['2026-01-01T00:00:00Z', '2025-06-01T12:00:00Z', '2026-03-01T00:00:00Z'],
  },
  'aws:EpochTime': {
    operators: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
    policyValues: ['1767225600', '1700000000', '1800000000'],
    contextValues: ['1767225600', '1700000000', '1750000000'],
  },
  'aws:SecureTransport': { operators: ['Bool'], policyValues: ['true', 'false'], contextValues: ['true', 'false'] },
  'aws:MultiFactorAuthPresent': { operators: ['Bool'], policyValues: ['true', 'false'], contextValues: ['true', 'false'] },
  'aws:PrincipalArn': {
    operators: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
    policyValues: [`arn:aws:iam::${ACCOUNT}:user/*`, 'arn:aws:iam::*:user/bob', `arn:aws:iam::${ACCOUNT}:role/*`, bob.arn],
    contextValues: [bob.arn],
  },
};
const KEY_NAMES = Object.keys(KEYS);
const ALWAYS_PRESENT = new Set(['aws:username', 'aws:PrincipalArn']);
const ACTIONS = ['kms:*', '*', 'kms:Decrypt', 'kms:De*', 'kms:*crypt', 'kms:?ncrypt', 'kms:Describe*', 'kms:GenerateDataKey*', 's3:*'];
const RESOURCES = ['*', KEY_ARN, `arn:aws:kms:*:${ACCOUNT}:key/*`, `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234*`, `arn:aws:kms:us-west-2:${ACCOUNT}:key/*`, `arn:aws:kms:us-east-1:${ACCOUNT}:alias/*`];
// Operations for which every generated context key applies (iam-simulate drops keys an action does not support).
const REQUESTED_ACTIONS = ['kms:Decrypt', 'kms:Encrypt'];

interface Case {
  readonly policy: { Version: string; Statement: Array<Record<string, unknown>> };
  readonly action: string;
  readonly context: Record<string, string | string[]>;
}

function generate(next: () => number): Case {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const some = <T>(list: readonly T[]): T[] => list.filter(() => next() < 0.4).concat(pick(list)).filter((value, index, all) => all.indexOf(value) === index);
  const statements = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
    const statement: Record<string, unknown> = { Effect: next() < 0.7 ? 'Allow' : 'Deny' };
    statement[next() < 0.2 ? 'NotAction' : 'Action'] = next() < 0.5 ? pick(ACTIONS) : some(ACTIONS);
    statement[next() < 0.15 ? 'NotResource' : 'Resource'] = next() < 0.6 ? pick(RESOURCES) : some(RESOURCES);
    const condition: Record<string, Record<string, string | string[]>> = {};
    const conditionCount = Math.floor(next() * 3);
    for (let index = 0; index < conditionCount; index += 1) {
      const key = pick(KEY_NAMES);
      const domain = KEYS[key] as KeyDomain;
      let operator = next() < 0.12 ? 'Null' : pick(domain.operators);
      if (operator !== 'Null' && !operator.startsWith('For') && next() < 0.2) operator += 'IfExists';
      const values = operator === 'Null' ? pick(['true', 'false']) : next() < 0.5 ? pick(domain.policyValues) : some(domain.policyValues);
      (condition[operator] ??= {})[key] = values;
    }
    if (conditionCount > 0) statement['Condition'] = condition;
    return statement;
  });
  const context: Record<string, string | string[]> = {};
  for (const key of KEY_NAMES) {
    // Absent keys exercise IfExists, Null and the negated operators; keys AWS derives from the principal are
    // always present (our engine derives them, iam-simulate takes them from the context).
    if (!ALWAYS_PRESENT.has(key) && next() < 0.3) continue;
    const domain = KEYS[key] as KeyDomain;
    context[key] = domain.multivalued === true ? some(domain.contextValues) : pick(domain.contextValues);
  }
  return { policy: { Version: '2012-10-17', Statement: statements }, action: pick(REQUESTED_ACTIONS), context };
}

const THEIR_EFFECT: Readonly<Record<string, DecisionEffect>> = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

async function theirs(generated: Case): Promise<DecisionEffect> {
  const result = await runSimulation(
    {
      request: { principal: bob.arn, action: generated.action, resource: { resource: KEY_ARN, accountId: ACCOUNT }, contextVariables: generated.context },
      identityPolicies: [{ name: 'generated', policy: generated.policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: JSON.parse(defaultKeyPolicy(ACCOUNT)),
    },
    {},
  );
  assert.equal(result.resultType, 'single', JSON.stringify(result));
  if (result.resultType !== 'single') throw new Error('unreachable');
  assert.deepEqual(result.result.ignoredContextKeys ?? [], [], 'iam-simulate ignored a context key: the comparison would be hollow');
  const effect = THEIR_EFFECT[result.overallResult];
  assert.ok(effect !== undefined, `unexpected iam-simulate result ${result.overallResult}`);
  return effect;
}

function ours(generated: Case): DecisionEffect {
  const conditions: Record<string, ConditionValue> = generated.context;
  return evaluateKeyAccess({
    keyPolicy: parsePolicy(defaultKeyPolicy(ACCOUNT), 'key'),
    identityPolicies: [{ name: 'generated', policy: parsePolicy(JSON.stringify(generated.policy), 'identity') }],
    grants: [],
    request: request({ action: generated.action, conditions }),
  }).effect;
}

void describe('identity-policy semantics agree with @cloud-copilot/iam-simulate', () => {
  void test(`${CASES} seeded random (policy, request) pairs`, async () => {
    const next = random(SEED);
    const outcomes = new Map<DecisionEffect, number>();
    for (let index = 0; index < CASES; index += 1) {
      const generated = generate(next);
      const expected = await theirs(generated);
      assert.equal(ours(generated), expected, `case ${index}: ${JSON.stringify(generated)}`);
      outcomes.set(expected, (outcomes.get(expected) ?? 0) + 1);
    }
    // The generator must exercise every outcome, or agreement proves little.
    for (const effect of ['Allow', 'ExplicitDeny', 'ImplicitDeny'] as const) assert.ok((outcomes.get(effect) ?? 0) >= 20, `${effect}: ${outcomes.get(effect) ?? 0}`);
  });
});
