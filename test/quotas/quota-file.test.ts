import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readServerConfig } from '../../src/server/config.js';
import { loadQuotaTable, parseQuotaSetting } from '../../src/service/quotas/quota-file.js';
import { parseQuotaOverrides } from '../../src/service/quotas/quota-overrides.js';

test('--quotas: aws by default, off in development mode unless asked for, or a file', () => {
  assert.deepEqual(parseQuotaSetting(undefined, false), { source: 'aws' });
  assert.deepEqual(parseQuotaSetting(undefined, true), { source: 'off' });
  assert.deepEqual(parseQuotaSetting('aws', true), { source: 'aws' });
  assert.deepEqual(parseQuotaSetting('off', false), { source: 'off' });
  assert.deepEqual(parseQuotaSetting('quotas.yaml', false), { source: 'file', path: resolve('quotas.yaml') });
  assert.throws(() => parseQuotaSetting(' ', false), /invalid --quotas/);
});

test('the serve flags and STRONGROOM_QUOTAS, the flag winning', () => {
  assert.deepEqual(readServerConfig([], {}).quotas, { source: 'aws' });
  assert.deepEqual(readServerConfig(['--dev'], {}).quotas, { source: 'off' });
  assert.deepEqual(readServerConfig(['--dev', '--quotas', 'aws'], {}).quotas, { source: 'aws' });
  assert.deepEqual(readServerConfig([], { STRONGROOM_DEV: '1', STRONGROOM_QUOTAS: 'aws' }).quotas, { source: 'aws' });
  assert.deepEqual(readServerConfig(['--quotas', 'off'], { STRONGROOM_QUOTAS: 'aws' }).quotas, { source: 'off' });
});

test('a file maps AWS\'s quota names (or the name without " request rate") to requests per second', () => {
  const yaml = parseQuotaOverrides('# overrides\nCreateKey request rate: 1\nCryptographic operations (symmetric): 0.5\nDescribeKey: 0\n', 'q.yaml');
  assert.deepEqual([...yaml], [
    ['CreateKey request rate', 1],
    ['Cryptographic operations (symmetric) request rate', 0.5],
    ['DescribeKey request rate', 0],
  ]);
  const json = parseQuotaOverrides('{"GenerateDataKeyPair (RSA_4096) request rate": 2}', 'q.json');
  assert.deepEqual([...json], [['GenerateDataKeyPair (RSA_4096) request rate', 2]]);
  assert.deepEqual([...parseQuotaOverrides('', 'empty.yaml')], [], 'an empty file overrides nothing');
});

test('every bad entry is named in one error', () => {
  const text = [
    'CreateKeys: 1',
    'createkey request rate: 1',
    'DescribeKey: -1',
    'ListKeys: fast',
    'Encrypt: 5',
    'CreateAlias: 1',
    'CreateAlias request rate: 2',
  ].join('\n');
  assert.throws(() => parseQuotaOverrides(text, 'bad.yaml'), (error: Error) => {
    assert.match(error.message, /^invalid quota file bad\.yaml:/);
    assert.match(error.message, /"CreateKeys" is not an AWS KMS request quota/);
    assert.match(error.message, /"createkey request rate" is not an AWS KMS request quota \(did you mean "CreateKey request rate"\?\)/);
    assert.match(error.message, /"DescribeKey": -1 is not a number of requests per second/);
    assert.match(error.message, /"ListKeys": "fast" is not a number of requests per second/);
    assert.match(error.message, /"Encrypt" is not an AWS KMS request quota/, 'Encrypt shares the cryptographic quota');
    assert.match(error.message, /"CreateAlias request rate" sets CreateAlias request rate a second time/);
    return true;
  });
});

test('a file that is not a mapping, or not YAML at all, is refused', () => {
  assert.throws(() => parseQuotaOverrides('- CreateKey\n- 1\n', 'list.yaml'), /must map quota names to requests per second/);
  assert.throws(() => parseQuotaOverrides('42', 'number.yaml'), /must map quota names/);
  assert.throws(() => parseQuotaOverrides('a: [1, 2', 'broken.yaml'), /is neither JSON nor YAML/);
});

test('loading: off is no table; a missing file is named', async () => {
  assert.equal(await loadQuotaTable({ source: 'off' }), undefined);
  assert.equal((await loadQuotaTable({ source: 'aws' }))?.perSecond('CreateKey request rate', 'us-east-1'), 5);
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-quotas-'));
  try {
    const path = join(directory, 'quotas.yaml');
    await writeFile(path, 'CreateKey: 1\n');
    const table = await loadQuotaTable({ source: 'file', path });
    assert.equal(table?.perSecond('CreateKey request rate', 'us-east-1'), 1);
    assert.equal(table?.perSecond('CreateAlias request rate', 'us-east-1'), 5);
    await assert.rejects(loadQuotaTable({ source: 'file', path: join(directory, 'missing.yaml') }), /cannot read the quota file .*missing\.yaml: ENOENT/);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
