import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readServerConfig } from '../../src/server/config.js';

describe('serve --ephemeral: configuration', () => {
  test('one process, development mode, from the flag or STRONGROOM_EPHEMERAL=1', () => {
    for (const config of [readServerConfig(['--ephemeral'], {}), readServerConfig([], { STRONGROOM_EPHEMERAL: '1' })]) {
      assert.equal(config.ephemeral, true);
      assert.equal(config.workers, 1);
      assert.equal(config.dev, true, 'test/test is how a client of a server with no credentials file gets in');
      assert.deepEqual(config.audit, {});
    }
    assert.equal(readServerConfig([], {}).ephemeral, false);
    assert.equal(readServerConfig(['--ephemeral', '--workers', '1'], {}).workers, 1);
    assert.equal(readServerConfig(['--ephemeral', '--no-audit'], {}).audit, undefined);
    assert.deepEqual(readServerConfig(['--ephemeral', '--audit-stream', '-'], {}).audit, { stream: '-' });
  });

  test('environment variables that name places on disk are ignored', () => {
    const config = readServerConfig(['--ephemeral'], {
      STRONGROOM_DATA_DIR: '/nonexistent/strongroom', STRONGROOM_WORKERS: '4', STRONGROOM_AUDIT_RETENTION_DAYS: '7',
      STRONGROOM_AUDIT_ARCHIVE_DIR: '/nonexistent/archive',
    });
    assert.equal(config.workers, 1);
    assert.deepEqual(config.audit, {});
  });

  test('flags that name something on disk are refused, saying why', () => {
    const refused: Array<[string[], RegExp]> = [
      [['--data-dir', '/tmp/x'], /--data-dir cannot be combined with --ephemeral/],
      [['--workers', '2'], /--workers cannot be combined with --ephemeral, which serves from one process/],
      [['--tls-self-signed'], /--tls-self-signed cannot be combined with --ephemeral/],
      [['--audit-retention-days', '7'], /--audit-retention-days cannot be combined with --ephemeral/],
      [['--audit-archive-dir', 'none'], /--audit-archive-dir cannot be combined with --ephemeral/],
      [['--audit-journal-file-size', '1m'], /--audit-journal-file-size cannot be combined with --ephemeral/],
    ];
    for (const [flags, message] of refused) assert.throws(() => readServerConfig(['--ephemeral', ...flags], {}), message);
    assert.throws(() => readServerConfig(['--ephemeral'], { STRONGROOM_TLS_SELF_SIGNED: '1' }), /--tls-self-signed cannot be combined/);
  });
});
