import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateKeyAccess, type ConditionValue, type RequestPrincipal } from '../../../src/auth/policy/index.js';
import { ACCOUNT, bob, keyPolicy, request, session, user } from './policy-fixtures.js';

/** Each KMS and global condition key of issue 3: a condition on it, a value that satisfies it and one that does not. */
type Row = readonly [key: string, operator: string, policyValue: unknown, satisfying: ConditionValue, failing: ConditionValue];

const REQUEST_KEYS: readonly Row[] = [
  ['kms:EncryptionContext:Department', 'StringEquals', 'Finance', 'Finance', 'finance'],
  ['kms:EncryptionContextKeys', 'ForAnyValue:StringEquals', 'Department', ['Department', 'Project'], ['Project']],
  ['kms:CallerAccount', 'StringEquals', ACCOUNT, ACCOUNT, '444455556666'],
  ['kms:ViaService', 'StringEquals', 'ec2.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com'],
  ['kms:GrantOperations', 'ForAllValues:StringEquals', ['Decrypt', 'Encrypt'], ['Decrypt'], ['Decrypt', 'CreateGrant']],
  ['kms:GrantConstraintType', 'StringEquals', 'EncryptionContextSubset', 'EncryptionContextSubset', 'EncryptionContextEquals'],
  ['kms:GrantIsForAWSResource', 'Bool', 'true', true, false],
  ['kms:KeySpec', 'StringEquals', 'SYMMETRIC_DEFAULT', 'SYMMETRIC_DEFAULT', 'RSA_4096'],
  ['kms:KeyUsage', 'StringEquals', 'ENCRYPT_DECRYPT', 'ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ['kms:KeyOrigin', 'StringEquals', 'AWS_KMS', 'AWS_KMS', 'EXTERNAL'],
  ['kms:RequestAlias', 'StringLike', 'alias/finance-*', 'alias/finance-key', 'alias/legal-key'],
  ['kms:ResourceAliases', 'ForAnyValue:StringEquals', 'alias/finance', ['alias/finance', 'alias/x'], ['alias/x']],
  ['kms:EncryptionAlgorithm', 'StringEquals', 'SYMMETRIC_DEFAULT', 'SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256'],
  ['kms:SigningAlgorithm', 'StringLike', 'ECDSA_*', 'ECDSA_SHA_256', 'RSASSA_PSS_SHA_256'],
  ['kms:MessageType', 'StringEquals', 'DIGEST', 'DIGEST', 'RAW'],
  ['kms:MacAlgorithm', 'StringEquals', 'HMAC_SHA_256', 'HMAC_SHA_256', 'HMAC_SHA_512'],
  ['kms:RotationPeriodInDays', 'NumericLessThanEquals', '180', 90, 365],
  ['kms:ScheduleKeyDeletionPendingWindowInDays', 'NumericGreaterThanEquals', '30', 30, 7],
  ['kms:BypassPolicyLockoutSafetyCheck', 'Bool', 'false', false, true],
  ['aws:SourceIp', 'IpAddress', '192.0.2.0/24', '192.0.2.10', '198.51.100.10'],
  ['aws:CurrentTime', 'DateLessThan', '2030-01-01T00:00:00Z', '2026-11-22T10:00:00Z', '2031-01-01T00:00:00Z'],
  ['aws:EpochTime', 'DateGreaterThan', '2026-01-01T00:00:00Z', 1795000000, 1700000000],
  ['aws:SecureTransport', 'Bool', 'true', true, false],
  ['aws:RequestTag/Project', 'StringEquals', 'Alpha', 'Alpha', 'Beta'],
  ['aws:ResourceTag/Project', 'StringEquals', 'Alpha', 'Alpha', 'Beta'],
  ['aws:TagKeys', 'ForAllValues:StringEquals', ['Project', 'Owner'], ['Project'], ['Project', 'Cost']],
  ['aws:MultiFactorAuthPresent', 'Bool', 'true', true, false],
];

function decide(policyCondition: Record<string, unknown>, principal: RequestPrincipal, conditions: Record<string, ConditionValue>) {
  const policy = keyPolicy([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', Condition: policyCondition }]);
  return evaluateKeyAccess({ keyPolicy: policy, identityPolicies: [], grants: [], request: request({ principal, conditions }) }).effect;
}

void describe('condition keys reach the evaluator', () => {
  for (const [key, operator, policyValue, satisfying, failing] of REQUEST_KEYS) {
    void test(`${key} (${operator})`, () => {
      const condition = { [operator]: { [key]: policyValue } };
      assert.equal(decide(condition, bob, { [key]: satisfying }), 'Allow');
      assert.equal(decide(condition, bob, { [key]: failing }), 'ImplicitDeny');
    });
  }

  void describe('principal keys are derived from the authenticated principal', () => {
    const alice = user('alice', ACCOUNT, { team: 'crypto' });
    const ops = session('ops', 'deploy-1');
    const rows: ReadonlyArray<readonly [string, string, unknown, RequestPrincipal, RequestPrincipal]> = [
      ['aws:PrincipalArn', 'ArnEquals', alice.arn, alice, bob],
      ['aws:PrincipalArn', 'ArnLike', `arn:aws:iam::${ACCOUNT}:role/ops`, ops, bob], // a session reports its role
      ['aws:PrincipalAccount', 'StringEquals', ACCOUNT, bob, user('eve', '444455556666')],
      ['aws:PrincipalType', 'StringEquals', 'AssumedRole', ops, bob],
      ['aws:username', 'StringEquals', 'alice', alice, bob],
      ['aws:userid', 'StringLike', 'AROAOPS:*', ops, bob],
      ['aws:PrincipalTag/team', 'StringEquals', 'crypto', alice, bob],
    ];
    for (const [key, operator, value, allowed, denied] of rows) {
      void test(`${key} (${operator})`, () => {
        const condition = { [operator]: { [key]: value } };
        assert.equal(decide(condition, allowed, {}), 'Allow');
        assert.equal(decide(condition, denied, {}), 'ImplicitDeny');
      });
    }

    void test('an explicit value from the pipeline overrides the derived one', () => {
      assert.equal(decide({ StringEquals: { 'aws:PrincipalType': 'User' } }, bob, {}), 'Allow');
      assert.equal(decide({ StringEquals: { 'aws:PrincipalType': 'User' } }, bob, { 'aws:PrincipalType': 'Other' }), 'ImplicitDeny');
    });
  });
});
