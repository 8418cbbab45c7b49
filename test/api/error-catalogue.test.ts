import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as errors from '../../src/errors.js';
import { PROJECT_ROOT } from '../support/shared.js';

type ExceptionClass = new (message: string) => errors.KmsError;

/** Every exception the catalogue exports, by its export name: KMS, the protocols, IAM and STS, CloudTrail. */
const EXCEPTIONS: [string, ExceptionClass][] = Object.entries(errors).flatMap(([name, value]) =>
  typeof value === 'function' && name !== 'KmsError' && value.prototype instanceof errors.KmsError ? [[name, value as ExceptionClass]] : [],
);

test('the catalogue holds every service\'s exceptions', () => {
  const names = EXCEPTIONS.map(([name]) => name);
  for (const name of ['NotFoundException', 'AccessDeniedException', 'NoSuchEntity', 'AccessDenied', 'InvalidNextTokenException', 'InvalidEventCategoryException']) {
    assert.ok(names.includes(name), name);
  }
  assert.ok(EXCEPTIONS.length > 40, `found ${EXCEPTIONS.length} exceptions`);
});

test('every exception is its own class, named and typed as its export, and still a KmsError', () => {
  for (const [name, Exception] of EXCEPTIONS) {
    const instance = new Exception('x');
    assert.ok(instance instanceof errors.KmsError, name);
    assert.equal(instance.type, name);
    assert.equal(instance.name, name);
    assert.equal(Exception.name, name);
    assert.equal(instance.message, 'x');
    for (const [other, Other] of EXCEPTIONS) if (other !== name) assert.ok(!(instance instanceof Other), `${name} is not a ${other}`);
  }
});

test('exception types are distinct at compile time', () => {
  const typeOfNotFound = (error: errors.NotFoundException): 'NotFoundException' => error.type;
  assert.equal(typeOfNotFound(new errors.NotFoundException('x')), 'NotFoundException');
  // @ts-expect-error a DisabledException is not a NotFoundException
  assert.equal(typeOfNotFound(new errors.DisabledException('x')), 'DisabledException');
});

test('the CloudTrail exceptions without a message carry the model\'s text', () => {
  assert.equal(new errors.InvalidMaxResultsException().message, 'This exception is thrown if the limit specified is not valid.');
  assert.match(new errors.InvalidTimeRangeException().message, /^Occurs if the timestamp values are invalid\./);
  assert.match(new errors.InvalidNextTokenException().message, /^A token that is not valid/);
});

test('every exception of the catalogue is documented in docs/errors.md, with its status, and no other', () => {
  const documented = readFileSync(join(PROJECT_ROOT, 'docs/errors.md'), 'utf8');
  for (const [name, Exception] of EXCEPTIONS) {
    const instance = new Exception('x');
    assert.match(documented, new RegExp(`\\| \`${name}\` \\| ${instance.status} \\|`), `${name} (${instance.status})`);
  }
  const rows = [...documented.matchAll(/^\| `(\w+)` \| \d+ \|/gm)].map((row) => row[1]);
  const names = new Set(EXCEPTIONS.map(([name]) => name));
  assert.deepEqual(rows.filter((row) => !names.has(row ?? '')), [], 'rows for exceptions the catalogue does not define');
});
