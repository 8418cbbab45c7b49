import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accessDeniedException,
  accessDeniedMessage,
  evaluateIdentityOnly,
  evaluateKeyAccess,
  type GrantForEvaluation,
  type KeyAccessQuestion,
} from '../../../src/auth/policy/index.js';
import { ACCOUNT, bob, identity, KEY_ARN, keyPolicy, OTHER_ACCOUNT, request, root, rootStatement, session, user } from './policy-fixtures.js';

const allowDecrypt = identity('AllowDecrypt', [{ Sid: 'Use', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN }]);
const denyDecrypt = identity('DenyDecrypt', [{ Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }]);
const defaultPolicy = keyPolicy([rootStatement()]);

function ask(overrides: Partial<KeyAccessQuestion>) {
  return evaluateKeyAccess({ keyPolicy: defaultPolicy, identityPolicies: [], grants: [], request: request(), ...overrides });
}

void describe('same-account key access', () => {
  void test('key policy naming the caller allows without identity policies', () => {
    const decision = ask({ keyPolicy: keyPolicy([{ Sid: 'Bob', Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'kms:Decrypt', Resource: '*' }]) });
    assert.deepEqual(decision, { effect: 'Allow', reason: 'key-policy', matched: [{ source: 'key-policy', effect: 'Allow', statementIndex: 0, sid: 'Bob' }] });
  });

  void test('key policy delegating to the account: identity policies decide', () => {
    const allowed = ask({ identityPolicies: [allowDecrypt] });
    assert.equal(allowed.effect, 'Allow');
    assert.equal(allowed.reason, 'identity-policy');
    assert.deepEqual(allowed.matched, [
      { source: 'key-policy', effect: 'Allow', statementIndex: 0, sid: 'Enable IAM User Permissions', delegatedToAccount: true },
      { source: 'identity-policy:AllowDecrypt', effect: 'Allow', statementIndex: 0, sid: 'Use' },
    ]);
    const denied = ask({});
    assert.equal(denied.effect, 'ImplicitDeny');
    assert.equal(denied.reason, 'identity-policy');
  });

  void test('identity policies alone cannot allow when the key policy does not delegate', () => {
    const decision = ask({ keyPolicy: keyPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'kms:*', Resource: '*' }]), identityPolicies: [allowDecrypt] });
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.reason, 'key-policy');
  });

  void test('an explicit deny in an identity policy wins over a key policy allow', () => {
    const decision = ask({ keyPolicy: keyPolicy([{ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'kms:*', Resource: '*' }]), identityPolicies: [denyDecrypt] });
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.reason, 'identity-policy');
    assert.deepEqual(decision.matched.find((evidence) => evidence.effect === 'Deny'), { source: 'identity-policy:DenyDecrypt', effect: 'Deny', statementIndex: 0, sid: 'NoDecrypt' });
  });

  void test('an explicit deny in the key policy wins over everything, grants included', () => {
    const policy = keyPolicy([rootStatement(), { Sid: 'Deny', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }]);
    const decision = ask({ keyPolicy: policy, identityPolicies: [allowDecrypt], grants: [{ id: 'g1', operations: ['Decrypt'] }] });
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.reason, 'key-policy');
  });

  void test('the root user is subject to the key policy', () => {
    assert.equal(ask({ request: request({ principal: root() }) }).effect, 'Allow');
    const noRoot = keyPolicy([{ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'kms:*', Resource: '*' }]);
    const decision = ask({ keyPolicy: noRoot, request: request({ principal: root() }) });
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.reason, 'key-policy');
  });

  void test('assumed-role sessions use the role\'s identity policies and match the role in key policies', () => {
    const ops = session('ops', 'deploy-1');
    assert.equal(ask({ request: request({ principal: ops }), identityPolicies: [allowDecrypt] }).effect, 'Allow');
    const byRole = keyPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ops` }, Action: 'kms:Decrypt', Resource: '*' }]);
    assert.equal(ask({ keyPolicy: byRole, request: request({ principal: ops }) }).effect, 'Allow');
  });
});

void describe('cross-account key access', () => {
  const eve = user('eve', OTHER_ACCOUNT);
  const allowAccountB = keyPolicy([rootStatement(), { Sid: 'AccountB', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }]);
  const eveMayDecrypt = identity('EveDecrypt', [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` }]);

  void test('key policy allows account B and B\'s identity policy allows → allow', () => {
    const decision = ask({ keyPolicy: allowAccountB, identityPolicies: [eveMayDecrypt], request: request({ principal: eve }) });
    assert.equal(decision.effect, 'Allow');
    assert.equal(decision.reason, 'identity-policy');
  });
  void test('identity policy missing → deny (no identity-based policy allows)', () => {
    const decision = ask({ keyPolicy: allowAccountB, request: request({ principal: eve }) });
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.reason, 'identity-policy');
  });
  void test('key policy missing → deny (no resource-based policy allows)', () => {
    const decision = ask({ identityPolicies: [eveMayDecrypt], request: request({ principal: eve }) });
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.reason, 'key-policy');
  });
  void test('a key policy naming the external user still needs that user\'s identity policy', () => {
    const namesEve = keyPolicy([{ Effect: 'Allow', Principal: { AWS: eve.arn }, Action: 'kms:Decrypt', Resource: '*' }]);
    assert.equal(ask({ keyPolicy: namesEve, request: request({ principal: eve }) }).effect, 'ImplicitDeny');
    assert.equal(ask({ keyPolicy: namesEve, identityPolicies: [eveMayDecrypt], request: request({ principal: eve }) }).effect, 'Allow');
  });
  void test('the external account\'s root needs only the key policy', () => {
    assert.equal(ask({ keyPolicy: allowAccountB, request: request({ principal: root(OTHER_ACCOUNT) }) }).effect, 'Allow');
  });
});

void describe('grants', () => {
  const decryptGrant = (constraints?: GrantForEvaluation['constraints']): GrantForEvaluation => ({ id: 'grant-1', operations: ['Decrypt', 'DescribeKey'], ...(constraints === undefined ? {} : { constraints }) });
  const noAccess = keyPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'kms:*', Resource: '*' }]);
  const withContext = (encryptionContext: Record<string, string>, action = 'kms:Decrypt') => request({ action, encryptionContext });

  void test('a grant allows its operations and nothing else', () => {
    const decision = ask({ keyPolicy: noAccess, grants: [decryptGrant()] });
    assert.deepEqual(decision, { effect: 'Allow', reason: 'grant', matched: [{ source: 'grant:grant-1', effect: 'Allow' }] });
    assert.equal(ask({ keyPolicy: noAccess, grants: [decryptGrant()], request: request({ action: 'kms:Encrypt' }) }).effect, 'ImplicitDeny');
  });

  void test('EncryptionContextSubset: the request must include the pairs (keys case-insensitive, values case-sensitive)', () => {
    const grants = [decryptGrant({ encryptionContextSubset: { Department: 'Finance' } })];
    assert.equal(ask({ keyPolicy: noAccess, grants, request: withContext({ Department: 'Finance', Extra: '1' }) }).effect, 'Allow');
    assert.equal(ask({ keyPolicy: noAccess, grants, request: withContext({ department: 'Finance' }) }).effect, 'Allow');
    assert.equal(ask({ keyPolicy: noAccess, grants, request: withContext({ Department: 'finance' }) }).effect, 'ImplicitDeny');
    assert.equal(ask({ keyPolicy: noAccess, grants, request: request() }).effect, 'ImplicitDeny', 'no context counts as empty');
  });

  void test('EncryptionContextEquals: the request context must be exactly the pairs', () => {
    const grants = [decryptGrant({ encryptionContextEquals: { Department: 'Finance' } })];
    assert.equal(ask({ keyPolicy: noAccess, grants, request: withContext({ DEPARTMENT: 'Finance' }) }).effect, 'Allow');
    assert.equal(ask({ keyPolicy: noAccess, grants, request: withContext({ Department: 'Finance', Extra: '1' }) }).effect, 'ImplicitDeny');
  });

  void test('constraints do not apply to operations without an encryption context, nor to asymmetric keys', () => {
    const grants = [decryptGrant({ encryptionContextEquals: { Department: 'Finance' } })];
    assert.equal(ask({ keyPolicy: noAccess, grants, request: request({ action: 'kms:DescribeKey' }) }).effect, 'Allow');
    assert.equal(ask({ keyPolicy: noAccess, grants, request: request({ keySupportsEncryptionContext: false }) }).effect, 'Allow');
  });
});

void describe('actions on no key', () => {
  const createKey = request({ action: 'kms:CreateKey', resource: '*' });
  void test('identity policies alone decide', () => {
    assert.equal(evaluateIdentityOnly({ identityPolicies: [], request: createKey }).effect, 'ImplicitDeny');
    const allow = identity('Create', [{ Effect: 'Allow', Action: ['kms:CreateKey', 'kms:List*'], Resource: '*' }]);
    assert.equal(evaluateIdentityOnly({ identityPolicies: [allow], request: createKey }).effect, 'Allow');
    assert.equal(evaluateIdentityOnly({ identityPolicies: [allow, identity('Deny', [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }])], request: createKey }).effect, 'ExplicitDeny');
  });
  void test('the root user is implicitly allowed in its own account', () => {
    assert.deepEqual(evaluateIdentityOnly({ identityPolicies: [], request: { ...createKey, principal: root() } }), { effect: 'Allow', reason: 'root-identity', matched: [] });
  });
});

void describe('AccessDeniedException messages', () => {
  const prefix = `User: ${bob.arn} is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN}`;
  void test('no resource-based policy allows', () => {
    const decision = ask({ keyPolicy: keyPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'kms:*', Resource: '*' }]) });
    assert.equal(accessDeniedMessage(decision, request()), `${prefix} because no resource-based policy allows the kms:Decrypt action`);
  });
  void test('no identity-based policy allows', () => {
    assert.equal(accessDeniedMessage(ask({}), request()), `${prefix} because no identity-based policy allows the kms:Decrypt action`);
  });
  void test('explicit deny in a resource-based policy', () => {
    const decision = ask({ keyPolicy: keyPolicy([rootStatement(), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }]) });
    assert.equal(accessDeniedMessage(decision, request()), `${prefix} with an explicit deny in a resource-based policy`);
  });
  void test('explicit deny in an identity-based policy', () => {
    assert.equal(accessDeniedMessage(ask({ identityPolicies: [denyDecrypt] }), request()), `${prefix} with an explicit deny in an identity-based policy`);
  });
  void test('actions on no key name the resource *', () => {
    const createKey = request({ action: 'kms:CreateKey', resource: '*' });
    const decision = evaluateIdentityOnly({ identityPolicies: [], request: createKey });
    const error = accessDeniedException(decision, createKey);
    assert.equal(error.type, 'AccessDeniedException');
    assert.equal(error.message, `User: ${bob.arn} is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`);
  });
  void test('assumed-role callers are named by their session ARN', () => {
    const ops = session('ops', 'deploy-1');
    const opsRequest = request({ principal: ops });
    assert.match(accessDeniedMessage(ask({ request: opsRequest }), opsRequest), /^User: arn:aws:sts::111122223333:assumed-role\/ops\/deploy-1 is not authorized/);
  });
  void test('refuses to describe an allowed request', () => {
    assert.throws(() => accessDeniedMessage({ effect: 'Allow', reason: 'grant', matched: [] }, request()));
  });
});
