import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateIdentityOnly, evaluateKeyAccess, parsePolicy, type RequestPrincipal } from '../../../src/auth/policy/index.js';
import { ACCOUNT, bob, identity, KEY_ARN, keyPolicy, OTHER_ACCOUNT, request, root, rootStatement, session, user } from './policy-fixtures.js';

function identityDecision(statement: Record<string, unknown>, action: string, resource = KEY_ARN, principal: RequestPrincipal = bob) {
  return evaluateKeyAccess({
    keyPolicy: keyPolicy([rootStatement()]),
    identityPolicies: [identity('p', [statement])],
    grants: [],
    request: request({ action, resource, principal }),
  }).effect;
}

void describe('Action and NotAction', () => {
  const rows: ReadonlyArray<readonly [action: unknown, requested: string, expected: boolean]> = [
    ['kms:*', 'kms:Decrypt', true],
    ['*', 'kms:Decrypt', true],
    ['kms:Gen*', 'kms:GenerateDataKey', true],
    ['kms:Gen*', 'kms:GenerateDataKeyPairWithoutPlaintext', true],
    ['kms:Gen*', 'kms:Decrypt', false],
    ['kms:ReEncrypt*', 'kms:ReEncryptFrom', true],
    ['kms:*crypt', 'kms:Encrypt', true],
    ['kms:?ncrypt', 'kms:Encrypt', true],
    ['kms:?ncrypt', 'kms:Decrypt', false],
    ['KMS:decrypt', 'kms:Decrypt', true], // action names are case-insensitive
    [['kms:Encrypt', 'kms:Decrypt'], 'kms:Decrypt', true],
    ['s3:*', 'kms:Decrypt', false],
  ];
  for (const [action, requested, expected] of rows) {
    void test(`Action ${JSON.stringify(action)} ${expected ? 'matches' : 'does not match'} ${requested}`, () => {
      assert.equal(identityDecision({ Effect: 'Allow', Action: action, Resource: '*' }, requested), expected ? 'Allow' : 'ImplicitDeny');
    });
  }

  void test('NotAction allows everything except the listed actions', () => {
    const statement = { Effect: 'Allow', NotAction: ['kms:ScheduleKeyDeletion', 'kms:Disable*'], Resource: '*' };
    assert.equal(identityDecision(statement, 'kms:Decrypt'), 'Allow');
    assert.equal(identityDecision(statement, 'kms:ScheduleKeyDeletion'), 'ImplicitDeny');
    assert.equal(identityDecision(statement, 'kms:DisableKey'), 'ImplicitDeny');
  });

  void test('Deny with NotAction denies everything else', () => {
    const policies = [identity('allow', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]), identity('deny', [{ Effect: 'Deny', NotAction: 'kms:Describe*', Resource: '*' }])];
    const ask = (action: string) => evaluateKeyAccess({ keyPolicy: keyPolicy([rootStatement()]), identityPolicies: policies, grants: [], request: request({ action }) }).effect;
    assert.equal(ask('kms:DescribeKey'), 'Allow');
    assert.equal(ask('kms:Decrypt'), 'ExplicitDeny');
  });
});

void describe('Resource and NotResource', () => {
  const rows: ReadonlyArray<readonly [resource: unknown, expected: boolean]> = [
    ['*', true],
    [KEY_ARN, true],
    [`arn:aws:kms:*:${ACCOUNT}:key/*`, true],
    [`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-*`, true],
    [`arn:aws:kms:us-west-2:${ACCOUNT}:key/*`, false],
    [`arn:aws:kms:us-east-1:${ACCOUNT}:alias/*`, false],
    [KEY_ARN.toUpperCase(), false], // resource ARNs are case-sensitive
  ];
  for (const [resource, expected] of rows) {
    void test(`Resource ${JSON.stringify(resource)} → ${expected}`, () => {
      assert.equal(identityDecision({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: resource }, 'kms:Decrypt'), expected ? 'Allow' : 'ImplicitDeny');
    });
  }

  void test('NotResource matches every other resource', () => {
    const statement = { Effect: 'Allow', Action: 'kms:Decrypt', NotResource: `arn:aws:kms:*:${ACCOUNT}:key/9999*` };
    assert.equal(identityDecision(statement, 'kms:Decrypt'), 'Allow');
    assert.equal(identityDecision({ ...statement, NotResource: KEY_ARN }, 'kms:Decrypt'), 'ImplicitDeny');
  });

  void test('a key policy statement without Resource has no effect (AWS accepts it)', () => {
    const policy = keyPolicy([{ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'kms:Decrypt' }]);
    assert.equal(evaluateKeyAccess({ keyPolicy: policy, identityPolicies: [], grants: [], request: request() }).effect, 'ImplicitDeny');
  });
});

void describe('policy variables', () => {
  const byUser = { Effect: 'Allow', Action: 'kms:ListKeys', Resource: 'arn:aws:kms:*:*:key/${aws:username}-*' };
  void test('${aws:username} in Resource resolves per caller', () => {
    assert.equal(identityDecision(byUser, 'kms:ListKeys', `arn:aws:kms:us-east-1:${ACCOUNT}:key/bob-1`), 'Allow');
    assert.equal(identityDecision(byUser, 'kms:ListKeys', `arn:aws:kms:us-east-1:${ACCOUNT}:key/alice-1`), 'ImplicitDeny');
  });
  void test('an unresolvable variable never matches; a default value applies', () => {
    const ops = session('ops', 's1');
    assert.equal(identityDecision(byUser, 'kms:ListKeys', `arn:aws:kms:us-east-1:${ACCOUNT}:key/-1`, ops), 'ImplicitDeny');
    const defaulted = { ...byUser, Resource: "arn:aws:kms:*:*:key/${aws:username, 'shared'}-*" };
    assert.equal(identityDecision(defaulted, 'kms:ListKeys', `arn:aws:kms:us-east-1:${ACCOUNT}:key/shared-1`, ops), 'Allow');
  });
  void test('${aws:PrincipalTag/team} and ${aws:userid} in condition values', () => {
    const alice = user('alice', ACCOUNT, { team: 'crypto' });
    const statement = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:team': '${aws:PrincipalTag/team}', 'kms:EncryptionContext:owner': '${aws:userid}' } } };
    const ask = (team: string) => evaluateKeyAccess({
      keyPolicy: keyPolicy([rootStatement()]), identityPolicies: [identity('p', [statement])], grants: [],
      request: request({ principal: alice, conditions: { 'kms:EncryptionContext:team': team, 'kms:EncryptionContext:owner': 'AIDAALICE' } }),
    }).effect;
    assert.equal(ask('crypto'), 'Allow');
    assert.equal(ask('other'), 'ImplicitDeny');
  });
  void test('${*} ${?} ${$} are literal characters; substituted values are not wildcards', () => {
    const statement = { Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*', Condition: { StringLike: { 'test:v': 'a${*}b${?}c${$}', 'test:w': '${aws:username}' } } };
    const ask = (v: string, principal: RequestPrincipal = bob) => evaluateIdentityOnly({ identityPolicies: [identity('p', [statement])], request: request({ action: 'kms:ListKeys', resource: '*', principal, conditions: { 'test:v': v, 'test:w': 'bob' } }) }).effect;
    assert.equal(ask('a*b?c$'), 'Allow');
    assert.equal(ask('axxbycz'), 'ImplicitDeny');
    assert.equal(ask('a*b?c$', user('b*')), 'ImplicitDeny'); // username 'b*' must not match 'bob'
  });
  void test('Version 2008-10-17 treats ${...} as literal text', () => {
    const text = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: 'key/${aws:username}' }] });
    const policy = { name: 'old', policy: parsePolicy(text, 'identity') };
    assert.equal(evaluateIdentityOnly({ identityPolicies: [policy], request: request({ action: 'kms:ListKeys', resource: 'key/${aws:username}' }) }).effect, 'Allow');
    assert.equal(evaluateIdentityOnly({ identityPolicies: [policy], request: request({ action: 'kms:ListKeys', resource: 'key/bob' }) }).effect, 'ImplicitDeny');
  });
});

void describe('Principal matching in key policies', () => {
  const ops = session('ops', 'deploy-1');
  const ask = (principalElement: unknown, caller: RequestPrincipal, resource = KEY_ARN) =>
    evaluateKeyAccess({
      keyPolicy: keyPolicy([{ Effect: 'Allow', Principal: principalElement, Action: 'kms:Decrypt', Resource: '*' }]),
      identityPolicies: [],
      grants: [],
      request: request({ principal: caller, resource }),
    });
  const rows: ReadonlyArray<readonly [string, unknown, RequestPrincipal, 'Allow' | 'ImplicitDeny']> = [
    ['"*" allows anyone in the account', '*', bob, 'Allow'],
    ['{"AWS": "*"} allows anyone in the account', { AWS: '*' }, ops, 'Allow'],
    ['a user ARN allows that user', { AWS: bob.arn }, bob, 'Allow'],
    ['a user ARN does not allow another user', { AWS: bob.arn }, user('alice'), 'ImplicitDeny'],
    ['a role ARN allows its sessions', { AWS: `arn:aws:iam::${ACCOUNT}:role/ops` }, ops, 'Allow'],
    ['a role ARN does not allow other roles', { AWS: `arn:aws:iam::${ACCOUNT}:role/other` }, ops, 'ImplicitDeny'],
    ['a session ARN allows that session', { AWS: ops.arn }, ops, 'Allow'],
    ['a session ARN does not allow another session', { AWS: ops.arn }, session('ops', 'deploy-2'), 'ImplicitDeny'],
    ['the root ARN allows the root user', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, root(), 'Allow'],
    ['an account id allows the root user', { AWS: ACCOUNT }, root(), 'Allow'],
    ['the root ARN only delegates for a user without identity policy', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, bob, 'ImplicitDeny'],
    ['a list of principals', { AWS: [`arn:aws:iam::${ACCOUNT}:user/alice`, bob.arn] }, bob, 'Allow'],
  ];
  for (const [name, element, caller, expected] of rows) {
    void test(name, () => assert.equal(ask(element, caller).effect, expected));
  }

  void test('account id shorthand delegates exactly like the root ARN', () => {
    const allowAll = identity('all', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]);
    for (const principal of [ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`]) {
      const decision = evaluateKeyAccess({
        keyPolicy: keyPolicy([{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' }]),
        identityPolicies: [allowAll], grants: [], request: request(),
      });
      assert.equal(decision.effect, 'Allow');
      assert.equal(decision.reason, 'identity-policy');
    }
  });

  void test('NotPrincipal applies to everyone not listed', () => {
    const policy = keyPolicy([
      { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: bob.arn }, Action: 'kms:Decrypt', Resource: '*' },
    ]);
    const ask2 = (caller: RequestPrincipal) => evaluateKeyAccess({ keyPolicy: policy, identityPolicies: [], grants: [], request: request({ principal: caller }) }).effect;
    assert.equal(ask2(bob), 'Allow');
    assert.equal(ask2(user('alice')), 'ExplicitDeny');
  });

  void test('a Deny naming the account root applies to every principal of the account', () => {
    const policy = keyPolicy([
      { Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 'kms:Decrypt', Resource: '*' },
    ]);
    assert.equal(evaluateKeyAccess({ keyPolicy: policy, identityPolicies: [], grants: [], request: request() }).effect, 'ExplicitDeny');
    const outsider = user('eve', OTHER_ACCOUNT);
    assert.notEqual(evaluateKeyAccess({ keyPolicy: policy, identityPolicies: [], grants: [], request: request({ principal: outsider }) }).effect, 'ExplicitDeny');
  });
});
