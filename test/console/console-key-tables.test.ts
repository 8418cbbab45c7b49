import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { KEY_SPECS, type KeySpec } from '../../src/keys/key-spec.js';
import { policyProblem } from '../../web/src/api/key-policy.js';
import { publicKeyPem } from '../../web/src/api/key-public-key.js';
import { KEY_SPEC_CHOICES } from '../../web/src/api/key-specs.js';

/**
 * The console's create page offers what the server accepts: its table of specs, usages and importable specs is
 * the browser's copy of src/keys/key-spec.ts (the web package imports nothing from src/), kept in step here.
 */
describe('the console\'s key spec table', () => {
  test('lists every spec of the model, once', () => {
    const offered = KEY_SPEC_CHOICES.map((choice) => choice.spec).sort();
    assert.deepEqual(offered, Object.keys(KEY_SPECS).sort());
  });

  test('offers each spec with exactly the usages CreateKey accepts, the default first', () => {
    for (const choice of KEY_SPEC_CHOICES) {
      const capabilities = KEY_SPECS[choice.spec as KeySpec];
      assert.deepEqual([...choice.usages].sort(), [...capabilities.usages].sort(), choice.spec);
      if (capabilities.defaultUsage) assert.equal(choice.usages[0], capabilities.defaultUsage, choice.spec);
    }
  });

  test('offers imported material (Origin EXTERNAL) only for the specs that may have it', () => {
    for (const choice of KEY_SPEC_CHOICES) assert.equal(choice.importable, KEY_SPECS[choice.spec as KeySpec].importable, choice.spec);
  });
});

describe('the public key download', () => {
  test('is a PEM document of the DER SubjectPublicKeyInfo, in lines of 64 characters', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const pem = publicKeyPem(new Uint8Array(der));
    const lines = pem.trimEnd().split('\n');
    assert.equal(lines[0], '-----BEGIN PUBLIC KEY-----');
    assert.equal(lines.at(-1), '-----END PUBLIC KEY-----');
    assert.ok(lines.slice(1, -1).every((line) => line.length <= 64 && line.length > 0));
    assert.equal(pem, publicKey.export({ type: 'spki', format: 'pem' }));
    assert.ok(createPublicKey(pem).equals(publicKey));
  });
});

describe('the key policy editor\'s check', () => {
  test('accepts a JSON object and says what is wrong with anything else', () => {
    assert.equal(policyProblem('{"Version":"2012-10-17","Statement":[]}'), undefined);
    assert.match(policyProblem('{"Version":"2012-10-17",}') ?? '', /^Not valid JSON: /);
    assert.equal(policyProblem('[]'), 'A policy document is a JSON object ({ … }).');
    assert.equal(policyProblem('  '), 'Enter a policy document.');
    assert.match(policyProblem(JSON.stringify({ Sid: 'x'.repeat(40_000) })) ?? '', /at most 32768 bytes/);
  });
});
