import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildConditionKeys, type ConditionFacts } from '../../../src/auth/authorization/condition-keys.js';
import type { Caller } from '../../../src/auth/caller.js';

/**
 * The authorizer builds condition keys from the request's terms, which each operation states (issue 18): no wire
 * member is read here. Each term reaches its AWS condition key; a term not stated leaves its key absent.
 */
const caller: Caller = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root', principalId: '111122223333', accessKeyId: 'AKIAEXAMPLE', type: 'Root' };
const base: Omit<ConditionFacts, 'terms' | 'action'> = { caller, sourceIp: '127.0.0.1', secureTransport: false, now: Date.UTC(2026, 0, 1) };

const keysOf = (action: string, terms: ConditionFacts['terms']) => buildConditionKeys({ ...base, action, terms });

void describe('condition keys from request terms', () => {
  void test('each stated term reaches its condition key', () => {
    const conditions = keysOf('kms:GenerateDataKeyPair', {
      encryptionContext: { tenant: 'a' },
      encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      signingAlgorithm: 'ECDSA_SHA_256',
      macAlgorithm: 'HMAC_SHA_256',
      messageType: 'DIGEST',
      dataKeyPairSpec: 'RSA_2048',
      tags: [{ key: 'team', value: 'x' }],
      removedTagKeys: ['old'],
      rotationPeriodInDays: 90,
      pendingWindowInDays: 7,
      bypassPolicyLockoutSafetyCheck: false,
      newKey: { spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC', origin: 'AWS_KMS' },
      requestedGrant: { operations: ['Decrypt'], encryptionContextSubset: { tenant: 'a' } },
    });
    assert.deepEqual(
      {
        context: conditions['kms:EncryptionContext:tenant'], contextKeys: conditions['kms:EncryptionContextKeys'],
        encryption: conditions['kms:EncryptionAlgorithm'], signing: conditions['kms:SigningAlgorithm'],
        mac: conditions['kms:MacAlgorithm'], messageType: conditions['kms:MessageType'],
        pairSpec: conditions['kms:DataKeyPairSpec'], requestTag: conditions['aws:RequestTag/team'],
        tagKeys: conditions['aws:TagKeys'], rotation: conditions['kms:RotationPeriodInDays'],
        window: conditions['kms:ScheduleKeyDeletionPendingWindowInDays'], bypass: conditions['kms:BypassPolicyLockoutSafetyCheck'],
        spec: conditions['kms:KeySpec'], usage: conditions['kms:KeyUsage'], origin: conditions['kms:KeyOrigin'],
        grantOperations: conditions['kms:GrantOperations'], constraintType: conditions['kms:GrantConstraintType'],
      },
      {
        context: 'a', contextKeys: ['tenant'], encryption: 'RSAES_OAEP_SHA_256', signing: 'ECDSA_SHA_256',
        mac: 'HMAC_SHA_256', messageType: 'DIGEST', pairSpec: 'RSA_2048', requestTag: 'x', tagKeys: ['team', 'old'],
        rotation: 90, window: 7, bypass: false, spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC', origin: 'AWS_KMS',
        grantOperations: ['Decrypt'], constraintType: ['EncryptionContextSubset'],
      },
    );
  });

  void test('terms not stated leave their keys absent (so ...IfExists and Null behave as in AWS)', () => {
    const conditions = keysOf('kms:Encrypt', {});
    for (const key of ['kms:EncryptionContextKeys', 'kms:EncryptionAlgorithm', 'kms:DataKeyPairSpec', 'kms:MessageType',
      'kms:KeySpec', 'kms:GrantOperations', 'aws:TagKeys', 'kms:RotationPeriodInDays', 'kms:BypassPolicyLockoutSafetyCheck']) {
      assert.equal(key in conditions, false, key);
    }
    assert.equal(conditions['kms:CallerAccount'], '111122223333');
  });

  void test('grant management actions say the grant is not for an AWS resource', () => {
    assert.equal(keysOf('kms:ListGrants', {})['kms:GrantIsForAWSResource'], false);
    assert.equal('kms:GrantIsForAWSResource' in keysOf('kms:Decrypt', {}), false);
  });
});
