import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ThrottlingException } from '../../src/errors.js';
import { KEY_SPECS, type KeySpec } from '../../src/keys/key-spec.js';
import { QuotaBuckets } from '../../src/service/quotas/quota-buckets.js';
import { AWS_REQUEST_QUOTAS, isQuotaName, quotaNameOf, quotaTable } from '../../src/service/quotas/quota-table.js';
import { LocalRequestQuotas } from '../../src/service/quotas/request-quotas.js';
import { PROJECT_ROOT } from '../support/shared.js';

const SYMMETRIC = 'Cryptographic operations (symmetric) request rate';

test('cryptographic operations share one quota per kind of key', () => {
  assert.equal(quotaNameOf('Encrypt', 'SYMMETRIC_DEFAULT'), SYMMETRIC);
  assert.equal(quotaNameOf('GenerateMac', 'HMAC_256'), SYMMETRIC, 'HMAC keys are symmetric keys to AWS');
  assert.equal(quotaNameOf('GenerateRandom'), SYMMETRIC, 'GenerateRandom names no key');
  assert.equal(quotaNameOf('Sign', 'RSA_2048'), 'Cryptographic operations (RSA) request rate');
  assert.equal(quotaNameOf('Decrypt', 'RSA_4096'), 'Cryptographic operations (RSA) request rate');
  assert.equal(quotaNameOf('Verify', 'ECC_NIST_EDWARDS25519'), 'Cryptographic operations (ECC and SM2) request rate');
  assert.equal(quotaNameOf('DeriveSharedSecret', 'ECC_NIST_P256'), 'Cryptographic operations (ECC and SM2) request rate');
  assert.equal(quotaNameOf('Sign', 'ML_DSA_65'), 'Cryptographic operations (ML-DSA) request rate');
});

test('every key spec counts against a quota of the table', () => {
  for (const spec of Object.keys(KEY_SPECS) as KeySpec[]) {
    const name = quotaNameOf('Sign', spec);
    assert.ok(name !== undefined && isQuotaName(name), `${spec}: ${name}`);
  }
});

test('GenerateDataKeyPair counts against its pair spec\'s quota, not the key\'s', () => {
  assert.equal(quotaNameOf('GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'RSA_4096'), 'GenerateDataKeyPair (RSA_4096) request rate');
  assert.equal(quotaNameOf('GenerateDataKeyPairWithoutPlaintext', 'SYMMETRIC_DEFAULT', 'ECC_NIST_P256'), 'GenerateDataKeyPair (ECC_NIST_P256) request rate');
  assert.equal(quotaNameOf('GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'constructor'), undefined);
});

test('management operations have their own quota each; others none', () => {
  assert.equal(quotaNameOf('CreateKey'), 'CreateKey request rate');
  assert.equal(quotaNameOf('DescribeKey', 'RSA_2048'), 'DescribeKey request rate', 'whatever the key');
  assert.equal(quotaNameOf('GetPublicKey', 'RSA_2048'), 'GetPublicKey request rate');
  assert.equal(quotaNameOf('NoSuchOperation'), undefined);
  assert.equal(quotaNameOf('toString'), undefined);
});

test('AWS\'s defaults, by region where AWS sets them so', () => {
  const aws = quotaTable();
  assert.equal(aws.perSecond(SYMMETRIC, 'us-east-1'), 100_000);
  assert.equal(aws.perSecond(SYMMETRIC, 'eu-central-1'), 20_000);
  assert.equal(aws.perSecond(SYMMETRIC, 'ca-central-1'), 10_000);
  assert.equal(aws.perSecond(SYMMETRIC, 'constructor'), 10_000, 'a region from a request finds only the table\'s own entries');
  assert.equal(aws.perSecond('CreateKey request rate', 'us-east-1'), 5);
  assert.equal(aws.perSecond('DescribeKey request rate', 'us-east-1'), 2000);
  assert.equal(aws.perSecond('GenerateDataKeyPair (RSA_4096) request rate', 'us-east-1'), 1);
  assert.equal(aws.perSecond('GenerateDataKeyPair (RSA_4096) request rate', 'cn-north-1'), 0.1);
  assert.equal(aws.perSecond('No such quota', 'us-east-1'), undefined);
  assert.equal(new Set(AWS_REQUEST_QUOTAS.map((quota) => quota.name)).size, AWS_REQUEST_QUOTAS.length, 'no quota twice');
});

test('an override sets its quota in every region and leaves the others as they are', () => {
  const table = quotaTable(new Map([[SYMMETRIC, 7]]));
  assert.equal(table.perSecond(SYMMETRIC, 'us-east-1'), 7);
  assert.equal(table.perSecond(SYMMETRIC, 'eu-west-3'), 7);
  assert.equal(table.perSecond('CreateKey request rate', 'us-east-1'), 5);
});

test('local quotas: per account, region and quota; over the quota, ThrottlingException with AWS\'s message', () => {
  let now = 0;
  const quotas = new LocalRequestQuotas(new QuotaBuckets(quotaTable(new Map([['CreateKey request rate', 2]])), () => now));
  quotas.take('111111111111', 'us-east-1', 'CreateKey');
  quotas.take('111111111111', 'us-east-1', 'CreateKey');
  assert.throws(() => quotas.take('111111111111', 'us-east-1', 'CreateKey'), (error: unknown) => {
    assert.ok(error instanceof ThrottlingException);
    assert.equal(error.status, 400);
    assert.equal(error.message, 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.');
    return true;
  });
  quotas.take('222222222222', 'us-east-1', 'CreateKey');
  quotas.take('111111111111', 'eu-west-1', 'CreateKey');
  quotas.take('111111111111', 'us-east-1', 'CreateAlias');
  quotas.take('111111111111', 'us-east-1', 'NoSuchOperation');
  now = 500;
  quotas.take('111111111111', 'us-east-1', 'CreateKey');
  assert.throws(() => quotas.take('111111111111', 'us-east-1', 'CreateKey'), ThrottlingException);
});

test('buckets that are full again are forgotten once there are many', () => {
  let now = 0;
  const buckets = new QuotaBuckets(quotaTable(), () => now, 4);
  for (let account = 0; account < 4; account += 1) buckets.take(String(account), 'us-east-1', 'CreateKey request rate', 1);
  assert.equal(buckets.size, 4);
  now = 1000;
  buckets.take('busy', 'us-east-1', 'CreateKey request rate', 1);
  assert.equal(buckets.size, 1, 'the four full ones were dropped');
});

test('docs/quotas.md lists every quota of the table with its defaults, and no other', () => {
  const documented = readFileSync(join(PROJECT_ROOT, 'docs/quotas.md'), 'utf8');
  const rows = new Map([...documented.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((row) => [row[1]!, row[2]!]));
  for (const quota of AWS_REQUEST_QUOTAS) {
    const row = rows.get(quota.name);
    assert.ok(row, `${quota.name} has a row`);
    assert.ok(row.startsWith(quota.perSecond.toLocaleString('en-US')), `${quota.name}: ${row}`);
    for (const [region, perSecond] of Object.entries(quota.perSecondInRegions ?? {})) {
      assert.match(row, new RegExp(`${perSecond.toLocaleString('en-US')} in [^;]*${region}`), `${quota.name} in ${region}`);
    }
  }
  const names = new Set(AWS_REQUEST_QUOTAS.map((quota) => quota.name));
  assert.deepEqual([...rows.keys()].filter((name) => !names.has(name) && name.endsWith('request rate')), []);
});
