import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as errors from '../../src/errors.js';
import { PROJECT_ROOT } from '../support/shared.js';

test('every exception of the catalogue is documented in docs/errors.md, with its status', () => {
  const documented = readFileSync(join(PROJECT_ROOT, 'docs/errors.md'), 'utf8');
  const exceptions = Object.entries(errors).filter(
    ([name, value]) => typeof value === 'function' && name !== 'KmsError' && value.prototype instanceof errors.KmsError,
  );
  assert.ok(exceptions.length > 25, `found ${exceptions.length} exceptions`);
  for (const [name, Exception] of exceptions) {
    const instance = new (Exception as new (message: string) => errors.KmsError)('x');
    assert.match(documented, new RegExp(`\\| \`${name}\` \\| ${instance.status} \\|`), `${name} (${instance.status})`);
  }
});
