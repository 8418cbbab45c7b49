/**
 * The least work an audited Encrypt of 1 KB must do beyond HTTP (issue 19), done with node:crypto and JSON directly
 * rather than with Strongroom's code: what no implementation on Node can skip. Compared with issue 19's first target,
 * it shows how much of the budget a KMS's own duties take before anything else: the target (half the trivial
 * server's throughput) allows twice the trivial server's CPU per request, of which node:http takes the floor row of
 * `npm run bench` (`floor: node:http, KMS-shaped`).
 *
 * Each step runs alone in a loop on this thread, hot; µs of CPU per Encrypt (the best of five rounds):
 * - the request body parsed, its plaintext decoded from base64;
 * - SigV4 at its least: the body's SHA-256, the canonical request's SHA-256, the string to sign's HMAC under a cached
 *   signing key, the signatures compared in constant time;
 * - AES-256-GCM of the plaintext under a fresh 12-byte IV;
 * - the answer: the ciphertext in base64, in JSON;
 * - the audit record: an event of Encrypt's shape serialized and its chain hash (SHA-256 of the previous hash and the
 *   record), as each request's record must be before its answer.
 *
 * Run: npm run build && node dist/bench/required-work.js
 */
import { createCipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ROUNDS = 5;
const ITERATIONS = 20_000;
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/9bffee32-6d58-4b8c-9f69-e48aa3657142';
const body = JSON.stringify({ KeyId: KEY_ARN, Plaintext: Buffer.alloc(1024, 7).toString('base64') });
/** The canonical request less its last line, the body's hash (SigV4's layout). */
const canonicalHead = [
  'POST', '/', '', 'content-type:application/x-amz-json-1.1', 'host:127.0.0.1:8080', 'x-amz-date:20261203T120000Z',
  'x-amz-target:TrentService.Encrypt', '', 'content-type;host;x-amz-date;x-amz-target', '',
].join('\n');
const SCOPE = '20261203/us-east-1/kms/aws4_request';
const signingKey = randomBytes(32);
const claimed = randomBytes(32);
const dataKey = randomBytes(32);
const plaintext = Buffer.alloc(1024, 7);
const blob = randomBytes(1164);
let previousHash = randomBytes(32);

/** An Encrypt record of the shape CloudTrail gives one (what Strongroom writes, less its exact values). */
const event = () => ({
  eventVersion: '1.08',
  userIdentity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEEXAMPLE12' },
  eventTime: new Date().toISOString(), eventSource: 'kms.amazonaws.com', eventName: 'Encrypt', awsRegion: 'us-east-1',
  sourceIPAddress: '127.0.0.1', userAgent: 'aws-sdk-js/3.0.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2',
  requestParameters: { keyId: KEY_ARN, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, responseElements: null,
  requestID: '0190a6a8-58d1-7c3e-9d2a-000000000001', eventID: '0190a6a8-58d1-7c3e-9d2a-000000000002', readOnly: true,
  resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: KEY_ARN }],
  eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '111122223333', eventCategory: 'Management',
});

const steps: Array<[string, () => unknown]> = [
  ['request: JSON.parse, base64 decode', () => Buffer.from((JSON.parse(body) as { Plaintext: string }).Plaintext, 'base64')],
  ['SigV4: 2 SHA-256, 1 HMAC, compare', () => {
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const requestHash = createHash('sha256').update(canonicalHead + bodyHash).digest('hex');
    const signature = createHmac('sha256', signingKey).update(`AWS4-HMAC-SHA256\n20261203T120000Z\n${SCOPE}\n${requestHash}`).digest();
    return timingSafeEqual(signature, claimed);
  }],
  ['AES-256-GCM of 1 KB', () => {
    const cipher = createCipheriv('aes-256-gcm', dataKey, randomBytes(12));
    return [cipher.update(plaintext), cipher.final(), cipher.getAuthTag()];
  }],
  ['answer: base64, JSON', () => `{"KeyId":"${KEY_ARN}","EncryptionAlgorithm":"SYMMETRIC_DEFAULT","CiphertextBlob":"${blob.toString('base64')}"}`],
  ['audit: record JSON, chain hash', () => {
    previousHash = createHash('sha256').update(previousHash).update(JSON.stringify(event())).digest();
    return previousHash;
  }],
];

/** µs of CPU per call of `work`, the best of ROUNDS. */
function cost(work: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < ITERATIONS; i++) work();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / ITERATIONS);
  }
  return best;
}

console.log('The least an audited Encrypt of 1 KB must do beyond HTTP, on one thread, µs of CPU (best of 5 rounds):');
let total = 0;
for (const [name, work] of steps) {
  const micros = cost(work);
  total += micros;
  console.log(`  ${name.padEnd(38)}${micros.toFixed(1).padStart(7)}`);
}
console.log(`  ${'total'.padEnd(38)}${total.toFixed(1).padStart(7)}  (and the durable write of the record, shared by its batch)`);
