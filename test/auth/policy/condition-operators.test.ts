import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateIdentityOnly, type ConditionValue } from '../../../src/auth/policy/index.js';
import { identity, request } from './policy-fixtures.js';

/** Whether an Allow statement with `{ operator: { key: policyValue } }` allows a request carrying `context`. */
function allows(operator: string, policyValue: unknown, context: ConditionValue, key = 'test:key'): boolean {
  const policy = identity('p', [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*', Condition: { [operator]: { [key]: policyValue } } }]);
  const conditions = context === undefined ? {} : { [key]: context };
  return evaluateIdentityOnly({ identityPolicies: [policy], request: request({ action: 'kms:ListKeys', resource: '*', conditions }) }).effect === 'Allow';
}

type Row = readonly [operator: string, policyValue: unknown, context: ConditionValue, expected: boolean];

const ROWS: readonly Row[] = [
  ['StringEquals', 'Finance', 'Finance', true],
  ['StringEquals', 'Finance', 'finance', false],
  ['StringEquals', ['a', 'Finance'], 'Finance', true],
  ['StringEquals', 'Fin*', 'Finance', false],
  ['StringEquals', 'x', undefined, false],
  ['StringNotEquals', 'Finance', 'Finance', false],
  ['StringNotEquals', 'Finance', 'Legal', true],
  ['StringNotEquals', ['a', 'b'], 'a', false],
  ['StringNotEquals', 'x', undefined, true],
  ['StringEqualsIgnoreCase', 'FINANCE', 'finance', true],
  ['StringEqualsIgnoreCase', 'FINANCE', 'legal', false],
  ['StringNotEqualsIgnoreCase', 'FINANCE', 'finance', false],
  ['StringNotEqualsIgnoreCase', 'FINANCE', 'legal', true],
  ['StringLike', 'Fin*', 'Finance', true],
  ['StringLike', 'F?nance', 'Finance', true],
  ['StringLike', 'F?nance', 'Fiinance', false],
  ['StringLike', 'fin*', 'Finance', false],
  ['StringLike', 'x', undefined, false],
  ['StringNotLike', 'Fin*', 'Finance', false],
  ['StringNotLike', 'Fin*', 'Legal', true],
  ['StringNotLike', 'x*', undefined, true],
  ['NumericEquals', '90', 90, true],
  ['NumericEquals', 90, '90.0', true],
  ['NumericEquals', '90', 91, false],
  ['NumericEquals', '90', 'ninety', false],
  ['NumericNotEquals', '90', 91, true],
  ['NumericNotEquals', '90', 90, false],
  ['NumericNotEquals', '90', undefined, true],
  ['NumericLessThan', '10', 9, true],
  ['NumericLessThan', '10', 10, false],
  ['NumericLessThanEquals', '10', 10, true],
  ['NumericLessThanEquals', '10', 11, false],
  ['NumericGreaterThan', '10', 11, true],
  ['NumericGreaterThan', '10', 10, false],
  ['NumericGreaterThanEquals', '10', 10, true],
  ['NumericGreaterThanEquals', '10', 9, false],
  ['NumericGreaterThan', '10', undefined, false],
  ['DateEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
  ['DateEquals', '2026-01-01T00:00:00Z', '1767225600', true],
  ['DateEquals', '1767225600', '2026-01-01T00:00:00.000Z', true],
  ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', true],
  ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
  ['DateLessThan', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', true],
  ['DateLessThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
  ['DateLessThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
  ['DateGreaterThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', true],
  ['DateGreaterThan', '2026-01-01T00:00:00Z', '2025-01-01T00:00:00Z', false],
  ['DateGreaterThanEquals', '2026-01-01', '2026-01-01T00:00:00Z', true],
  ['DateGreaterThan', '2026-01-01T00:00:00Z', 'not a date', false],
  ['Bool', 'true', true, true],
  ['Bool', true, 'TRUE', true],
  ['Bool', 'true', false, false],
  ['Bool', 'false', false, true],
  ['Bool', 'true', undefined, false],
  ['BinaryEquals', 'QmluYXJ5VmFsdWU=', 'QmluYXJ5VmFsdWU=', true],
  ['BinaryEquals', 'QmluYXJ5VmFsdWU=', 'T3RoZXI=', false],
  ['IpAddress', '203.0.113.0/24', '203.0.113.77', true],
  ['IpAddress', '203.0.113.0/24', '203.0.114.1', false],
  ['IpAddress', '203.0.113.9', '203.0.113.9', true],
  ['IpAddress', '2001:db8::/32', '2001:db8:1::5', true],
  ['IpAddress', '2001:db8::/32', '2001:db9::5', false],
  ['IpAddress', '203.0.113.0/24', '2001:db8::1', false],
  ['IpAddress', '203.0.113.0/24', 'not-an-ip', false],
  ['NotIpAddress', '203.0.113.0/24', '198.51.100.1', true],
  ['NotIpAddress', '203.0.113.0/24', '203.0.113.1', false],
  ['NotIpAddress', '203.0.113.0/24', undefined, true],
  ['ArnEquals', 'arn:aws:iam::111122223333:role/admin', 'arn:aws:iam::111122223333:role/admin', true],
  ['ArnEquals', 'arn:aws:iam::*:role/admin', 'arn:aws:iam::444455556666:role/admin', true],
  ['ArnLike', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/ops/admin', true],
  ['ArnLike', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:user/bob', false],
  ['ArnLike', 'arn:aws:iam::111122223333:role/*', 'not-an-arn', false],
  ['ArnLike', 'arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:eu-west-1:111122223333:key/k:with:colons', true],
  ['ArnNotEquals', 'arn:aws:iam::111122223333:role/admin', 'arn:aws:iam::111122223333:role/other', true],
  ['ArnNotLike', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/admin', false],
  ['ArnNotLike', 'arn:aws:iam::111122223333:role/*', undefined, true],
  ['Null', 'true', undefined, true],
  ['Null', 'true', 'present', false],
  ['Null', 'false', 'present', true],
  ['Null', 'false', undefined, false],
  ['Null', 'true', [], true],
];

void describe('condition operators', () => {
  for (const [operator, policyValue, context, expected] of ROWS) {
    void test(`${operator} ${JSON.stringify(policyValue)} vs ${JSON.stringify(context)} → ${expected}`, () => {
      assert.equal(allows(operator, policyValue, context), expected);
    });
  }

  void describe('...IfExists: true when the key is absent, the plain operator otherwise', () => {
    const present: Array<readonly [string, unknown, ConditionValue, ConditionValue]> = [
      // operator, policy value, a matching value, a non-matching value
      ['StringEquals', 'a', 'a', 'b'], ['StringNotEquals', 'a', 'b', 'a'], ['StringEqualsIgnoreCase', 'A', 'a', 'b'],
      ['StringNotEqualsIgnoreCase', 'A', 'b', 'a'], ['StringLike', 'a*', 'ab', 'b'], ['StringNotLike', 'a*', 'b', 'ab'],
      ['NumericEquals', '1', 1, 2], ['NumericNotEquals', '1', 2, 1], ['NumericLessThan', '1', 0, 1],
      ['NumericLessThanEquals', '1', 1, 2], ['NumericGreaterThan', '1', 2, 1], ['NumericGreaterThanEquals', '1', 1, 0],
      ['DateEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
      ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z'],
      ['DateLessThan', '2026-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
      ['DateLessThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
      ['DateGreaterThan', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
      ['DateGreaterThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
      ['Bool', 'true', true, false], ['BinaryEquals', 'AAE=', 'AAE=', 'AAI='],
      ['IpAddress', '10.0.0.0/8', '10.1.2.3', '11.0.0.1'], ['NotIpAddress', '10.0.0.0/8', '11.0.0.1', '10.1.2.3'],
      ['ArnEquals', 'arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'],
      ['ArnLike', 'arn:aws:iam::1:role/*', 'arn:aws:iam::1:role/a', 'arn:aws:iam::1:user/a'],
      ['ArnNotEquals', 'arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b', 'arn:aws:iam::1:role/a'],
      ['ArnNotLike', 'arn:aws:iam::1:role/*', 'arn:aws:iam::1:user/a', 'arn:aws:iam::1:role/a'],
    ];
    for (const [operator, policyValue, matching, nonMatching] of present) {
      void test(`${operator}IfExists`, () => {
        assert.equal(allows(`${operator}IfExists`, policyValue, undefined), true, 'absent key');
        assert.equal(allows(`${operator}IfExists`, policyValue, matching), true, 'matching value');
        assert.equal(allows(`${operator}IfExists`, policyValue, nonMatching), false, 'non-matching value');
      });
    }
  });

  void describe('set operators over multivalued keys', () => {
    const rows: readonly Row[] = [
      ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], true],
      ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'], false],
      ['ForAllValues:StringEquals', ['a'], undefined, true],
      ['ForAllValues:StringEquals', ['a'], [], true],
      ['ForAllValues:StringLike', ['team-*'], ['team-a', 'team-b'], true],
      ['ForAllValues:StringNotEquals', ['secret'], ['a', 'b'], true],
      ['ForAllValues:StringNotEquals', ['secret'], ['a', 'secret'], false],
      ['ForAllValues:StringEqualsIgnoreCase', ['A'], ['a'], true],
      ['ForAllValues:NumericLessThan', ['10'], ['1', '2'], true],
      ['ForAllValues:NumericLessThan', ['10'], ['1', '20'], false],
      ['ForAnyValue:StringEquals', ['a'], ['x', 'a'], true],
      ['ForAnyValue:StringEquals', ['a'], ['x', 'y'], false],
      ['ForAnyValue:StringEquals', ['a'], undefined, false],
      ['ForAnyValue:StringNotEquals', ['a'], ['a', 'b'], true],
      ['ForAnyValue:StringNotEquals', ['a'], ['a'], false],
      ['ForAnyValue:StringLike', ['*-prod'], ['x', 'y-prod'], true],
      ['ForAnyValue:StringEqualsIfExists', ['a'], undefined, true],
      ['ForAnyValue:IpAddress', ['10.0.0.0/8'], ['192.0.2.1', '10.0.0.1'], true],
      ['ForAnyValue:ArnLike', ['arn:aws:iam::*:role/x'], ['arn:aws:iam::1:role/x'], true],
      ['StringEquals', 'a', ['x', 'a'], true],
      ['StringNotEquals', 'a', ['x', 'a'], false],
    ];
    for (const [operator, policyValue, context, expected] of rows) {
      void test(`${operator} ${JSON.stringify(policyValue)} vs ${JSON.stringify(context)} → ${expected}`, () => {
        assert.equal(allows(operator, policyValue, context), expected);
      });
    }
  });

  void test('condition key names are case-insensitive', () => {
    assert.equal(allows('StringEquals', 'finance', 'finance', 'KMS:EncryptionContext:Department'), true);
    const policy = identity('p', [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*', Condition: { StringEquals: { 'kms:encryptioncontext:department': 'finance' } } }]);
    const decision = evaluateIdentityOnly({ identityPolicies: [policy], request: request({ action: 'kms:ListKeys', resource: '*', conditions: { 'kms:EncryptionContext:Department': 'finance' } }) });
    assert.equal(decision.effect, 'Allow');
  });

  void test('all operators of a block, and all keys of an operator, must hold', () => {
    const policy = identity('p', [{
      Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*',
      Condition: { StringEquals: { 'test:a': '1', 'test:b': '2' }, Bool: { 'aws:SecureTransport': 'true' } },
    }]);
    const ask = (conditions: Record<string, ConditionValue>) =>
      evaluateIdentityOnly({ identityPolicies: [policy], request: request({ action: 'kms:ListKeys', resource: '*', conditions }) }).effect;
    assert.equal(ask({ 'test:a': '1', 'test:b': '2', 'aws:SecureTransport': true }), 'Allow');
    assert.equal(ask({ 'test:a': '1', 'test:b': '2', 'aws:SecureTransport': false }), 'ImplicitDeny');
    assert.equal(ask({ 'test:a': '1', 'aws:SecureTransport': true }), 'ImplicitDeny');
  });
});
