import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readServerConfig } from '../../src/server/config.js';

test('--metrics-port: a port of its own for /metrics, /healthz and /readyz, from the flag or STRONGROOM_METRICS_PORT', () => {
  assert.equal(readServerConfig([], {}).metricsPort, undefined);
  assert.equal(readServerConfig(['--metrics-port', '9464'], {}).metricsPort, 9464);
  assert.equal(readServerConfig([], { STRONGROOM_METRICS_PORT: '9465' }).metricsPort, 9465);
  assert.equal(readServerConfig(['--metrics-port', '9464'], { STRONGROOM_METRICS_PORT: '9465' }).metricsPort, 9464, 'the flag wins');
  assert.equal(readServerConfig(['--port', '0', '--metrics-port', '0'], {}).metricsPort, 0, 'two free ports');
  assert.equal(readServerConfig(['--ephemeral', '--metrics-port', '9464'], {}).metricsPort, 9464);
});

test('--metrics-port refuses what is not a port, and the API port itself', () => {
  for (const bad of ['-1', '65536', '94.5', 'http', '1e3']) {
    assert.throws(() => readServerConfig([`--metrics-port=${bad}`], {}), /invalid metrics port/, bad);
  }
  assert.throws(() => readServerConfig([], { STRONGROOM_METRICS_PORT: 'x' }), /invalid metrics port: x/);
  assert.throws(() => readServerConfig(['--metrics-port', '4599'], {}), /--metrics-port 4599 is the API port/);
  assert.throws(() => readServerConfig(['--port', '8080', '--metrics-port', '8080'], {}), /is the API port/);
});

test('--log-format: json by default, or text, from the flag or STRONGROOM_LOG_FORMAT', () => {
  assert.equal(readServerConfig([], {}).logFormat, 'json');
  assert.equal(readServerConfig(['--log-format', 'text'], {}).logFormat, 'text');
  assert.equal(readServerConfig([], { STRONGROOM_LOG_FORMAT: 'text' }).logFormat, 'text');
  assert.equal(readServerConfig(['--log-format', 'json'], { STRONGROOM_LOG_FORMAT: 'text' }).logFormat, 'json');
  assert.throws(() => readServerConfig(['--log-format', 'yaml'], {}), /invalid log format \(json or text\): yaml/);
  assert.throws(() => readServerConfig([], { STRONGROOM_LOG_FORMAT: 'JSON' }), /invalid log format/);
});

test('metrics are on unless --no-metrics (which exists for the benchmark)', () => {
  assert.equal(readServerConfig([], {}).metrics, true);
  assert.equal(readServerConfig(['--no-metrics'], {}).metrics, false);
});
