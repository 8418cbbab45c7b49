import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KMS_OPERATIONS } from '../../../src/api/operations/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { RECORDED_CASES } from './aws-recorded-answers.js';
import { OUT_OF_SCOPE } from './recorded-elsewhere.js';
import { runRecordedCase } from './run-recorded-case.js';

/**
 * Every answer real AWS KMS gave in LocalStack's AWS-validated tests, for the operations Strongroom implements,
 * asked of our server through the real SDK: same exception, same message (or, where AWS chose the value, same
 * shape).
 */
describe('answers recorded against AWS KMS', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('the table names each recording once, and only operations this server implements', () => {
    const names = RECORDED_CASES.map((recorded) => recorded.recorded);
    assert.deepEqual(
      names.filter((name, index) => names.indexOf(name) !== index),
      [],
    );
    const calls = RECORDED_CASES.flatMap((recorded) => [recorded.call, ...(recorded.before ?? [])]);
    assert.deepEqual(
      calls.map((call) => call.operation).filter((operation) => !KMS_OPERATIONS.has(operation)),
      [],
    );
    for (const skipped of OUT_OF_SCOPE) assert.ok(skipped.reason.length > 0, skipped.recorded);
  });

  for (const recorded of RECORDED_CASES) {
    test(recorded.recorded, async () => {
      assert.deepEqual(await runRecordedCase(server, recorded), []);
    });
  }
});
