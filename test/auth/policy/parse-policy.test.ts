import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { KmsError } from '../../../src/errors.js';
import {
  checkPolicyLockout,
  defaultKeyPolicy,
  parsePolicy,
  PolicyCache,
  PolicyDocumentError,
  POLICY_LOCKOUT_MESSAGE,
} from '../../../src/auth/policy/index.js';
import { fromShared } from '../../support/shared.js';
import { ACCOUNT, bob, identity, KEY_ARN, policyText, rootStatement, session, user } from './policy-fixtures.js';

function refusal(text: string, principalExists?: (arn: string) => boolean): { type: string; message: string } {
  try {
    parsePolicy(text, 'key', principalExists === undefined ? {} : { principalExists });
  } catch (error) {
    assert.ok(error instanceof KmsError, `expected a KmsError, got ${String(error)}`);
    return { type: error.type, message: error.message };
  }
  assert.fail('the policy was accepted');
}

const allowBob = { Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'kms:*', Resource: '*' };

void describe('key policy validation', () => {
  const malformed: ReadonlyArray<readonly [string, string]> = [
    ['invalid JSON', '{"Version": "2012-10-17", "Statement": ['],
    ['not an object', '["Statement"]'],
    ['bad Version', JSON.stringify({ Version: '2020-01-01', Statement: [rootStatement()] })],
    ['unknown top-level element', JSON.stringify({ Version: '2012-10-17', Statement: [rootStatement()], Extra: 1 })],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' })],
    ['empty Statement', policyText([])],
    ['missing Effect', policyText([{ Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' }])],
    ['bad Effect', policyText([{ ...rootStatement(), Effect: 'allow' }])],
    ['missing Principal', policyText([{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }])],
    ['Action and NotAction', policyText([{ ...rootStatement(), NotAction: 'kms:Decrypt' }])],
    ['Resource and NotResource', policyText([{ ...rootStatement(), NotResource: 'x' }])],
    ['unknown statement element', policyText([{ ...rootStatement(), Actions: 'kms:*' }])],
    ['duplicate Sid', policyText([rootStatement(), rootStatement()])],
    ['invalid action', policyText([{ ...rootStatement(), Action: 'decrypt' }])],
    ['unknown condition operator', policyText([{ ...rootStatement(), Condition: { StringEqualz: { 'aws:username': 'bob' } } }])],
    ['bad IP address value', policyText([{ ...rootStatement(), Condition: { IpAddress: { 'aws:SourceIp': '300.1.1.1/8' } } }])],
    ['bad numeric value', policyText([{ ...rootStatement(), Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'ten' } } }])],
    ['bad date value', policyText([{ ...rootStatement(), Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } }])],
    ['null condition value', policyText([{ ...rootStatement(), Condition: { StringEquals: { 'aws:username': null } } }])],
    ['characters outside Latin-1', policyText([{ ...rootStatement(), Sid: 'snow ☃' }])],
  ];
  for (const [name, text] of malformed) {
    void test(`refuses ${name} with MalformedPolicyDocumentException`, () => {
      assert.equal(refusal(text).type, 'MalformedPolicyDocumentException');
    });
  }

  const invalidPrincipals: ReadonlyArray<readonly [string, unknown]> = [
    ['a wildcard in an ARN', { AWS: 'arn:aws:iam::111122223333:user/*' }],
    ['a group', { AWS: 'arn:aws:iam::111122223333:group/admins' }],
    ['a short account id', { AWS: '1111' }],
    ['a non-ARN', { AWS: 'bob' }],
    ['an unknown principal type', { Bogus: 'x' }],
    ['an empty list', { AWS: [] }],
  ];
  for (const [name, principal] of invalidPrincipals) {
    void test(`refuses ${name} as an invalid principal`, () => {
      assert.deepEqual(refusal(policyText([{ ...allowBob, Principal: principal }])), {
        type: 'MalformedPolicyDocumentException',
        message: 'Policy contains a statement with one or more invalid principals.',
      });
    });
  }

  void test('refuses users and roles that do not exist; roots, sessions and services need no lookup', () => {
    const exists = (arn: string) => arn === bob.arn;
    assert.equal(refusal(policyText([{ ...allowBob, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/ghost` } }]), exists).message, 'Policy contains a statement with one or more invalid principals.');
    const accepted = [bob.arn, ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, session('ops', 's').arn];
    assert.doesNotThrow(() => parsePolicy(policyText([{ ...allowBob, Principal: { AWS: accepted, Service: 'ec2.amazonaws.com' } }]), 'key', { principalExists: exists }));
  });

  void test('refuses a key policy over 32768 bytes with LimitExceededException (PutKeyPolicy reference)', () => {
    const statements = Array.from({ length: 300 }, (_, index) => ({ ...allowBob, Sid: `statement-${index}` }));
    const text = policyText(statements);
    assert.ok(Buffer.byteLength(text) > 32_768);
    assert.equal(refusal(text).type, 'LimitExceededException');
    const justUnder = policyText([{ ...allowBob, Sid: 'x'.repeat(32_768 - policyText([{ ...allowBob, Sid: '' }]).length) }]);
    assert.equal(Buffer.byteLength(justUnder), 32_768);
    assert.doesNotThrow(() => parsePolicy(justUnder, 'key'));
  });

  void test('accepts what AWS accepts: Version absent, single statement object, Latin-1, a statement without Resource', () => {
    const compiled = parsePolicy(JSON.stringify({ Statement: { ...allowBob, Sid: 'café' } }), 'key');
    assert.equal(compiled.version, '2008-10-17');
    assert.doesNotThrow(() => parsePolicy(policyText([{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' }]), 'key'));
  });

  void test('compiled policies are immutable', () => {
    const compiled = parsePolicy(defaultKeyPolicy(ACCOUNT), 'key');
    assert.ok(Object.isFrozen(compiled) && Object.isFrozen(compiled.statements) && Object.isFrozen(compiled.statements[0]));
  });
});

void describe('identity and trust policies', () => {
  const refuse = (text: string, kind: 'identity' | 'trust') => assert.throws(() => parsePolicy(text, kind), PolicyDocumentError);
  void test('identity policies must not name a principal and need Action and Resource', () => {
    refuse(policyText([allowBob]), 'identity');
    refuse(policyText([{ Effect: 'Allow', Action: 'kms:*' }]), 'identity');
    refuse(policyText([{ Effect: 'Allow', Resource: '*' }]), 'identity');
    refuse('not json', 'identity');
  });
  void test('trust policies need a principal and an action, no resource', () => {
    refuse(policyText([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]), 'trust');
    assert.doesNotThrow(() => parsePolicy(policyText([{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }]), 'trust'));
  });
});

void describe('default key policy', () => {
  const examples = fromShared('aws-models/kms/examples-1.json');
  void test('is exactly the text GetKeyPolicy returns (AWS model example)', { skip: examples.skip }, () => {
    const model = JSON.parse(readFileSync(examples.path, 'utf8')) as { examples: Record<string, Array<{ output?: { Policy?: string } }>> };
    assert.equal(defaultKeyPolicy('111122223333'), model.examples['GetKeyPolicy']?.[0]?.output?.Policy);
  });
  void test('parses as a key policy granting the account root kms:*', () => {
    const compiled = parsePolicy(defaultKeyPolicy('444455556666'), 'key');
    assert.equal(compiled.id, 'key-default-1');
    assert.deepEqual([...(compiled.statements[0]?.principals?.list.accounts ?? [])], ['444455556666']);
  });
});

void describe('policy lockout safety check', () => {
  const admin = user('admin');
  const check = (statements: Array<Record<string, unknown>>, bypass = false, identityPolicies = [identity('Admin', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }])]) =>
    checkPolicyLockout({ policy: parsePolicy(policyText(statements), 'key'), keyArn: KEY_ARN, caller: admin, identityPolicies, bypassPolicyLockoutSafetyCheck: bypass });

  void test('passes when the policy names the caller or delegates to an account whose IAM allows it', () => {
    assert.doesNotThrow(() => check([{ ...allowBob, Principal: { AWS: admin.arn }, Action: 'kms:PutKeyPolicy' }], false, []));
    assert.doesNotThrow(() => check([rootStatement()]));
  });
  void test('fails when the caller could not call PutKeyPolicy again', () => {
    assert.throws(() => check([allowBob]), { name: 'MalformedPolicyDocumentException', message: POLICY_LOCKOUT_MESSAGE });
    assert.throws(() => check([rootStatement()], false, []), { message: POLICY_LOCKOUT_MESSAGE });
    assert.throws(() => check([rootStatement(), { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }]), { message: POLICY_LOCKOUT_MESSAGE });
  });
  void test('BypassPolicyLockoutSafetyCheck skips it', () => {
    assert.doesNotThrow(() => check([allowBob], true));
  });
  void test('the message is AWS\'s', () => {
    assert.equal(POLICY_LOCKOUT_MESSAGE, 'The new key policy will not allow you to update the key policy in the future.');
  });
});

void describe('PolicyCache', () => {
  void test('returns the same compiled policy for the same text and evicts the least recently used', () => {
    const cache = new PolicyCache(2);
    const a = defaultKeyPolicy('111111111111');
    const b = defaultKeyPolicy('222222222222');
    const c = defaultKeyPolicy('333333333333');
    const first = cache.get(a, 'key');
    assert.equal(cache.get(a, 'key'), first);
    cache.get(b, 'key');
    cache.get(a, 'key'); // a is now the most recent
    cache.get(c, 'key'); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(cache.get(a, 'key'), first);
  });
  void test('keys by kind as well as text, and propagates validation errors', () => {
    const cache = new PolicyCache(4);
    assert.throws(() => cache.get(defaultKeyPolicy(ACCOUNT), 'identity'), PolicyDocumentError);
    assert.throws(() => cache.get('{', 'key'), { name: 'MalformedPolicyDocumentException' });
    assert.throws(() => new PolicyCache(0), RangeError);
  });
});
