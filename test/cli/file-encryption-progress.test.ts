import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { formatBytes, formatDuration, formatProgress, progressMeter, type ProgressTerminal } from '../../src/cli/file-encryption/progress.js';

const MiB = 1024 * 1024;

/** A terminal (or not) that records what is written to it. */
function fakeTerminal(isTTY: boolean, columns = 100): ProgressTerminal & { text: string } {
  return {
    isTTY,
    columns,
    text: '',
    write(text) {
      this.text += text;
      return true;
    },
  };
}

/**
 * Writes `chunks` into the meter's counter (whose output is discarded), one at a time, calling `tick` (which
 * advances the mocked clock and timers) once each is counted.
 */
async function feed(counter: NonNullable<ReturnType<typeof progressMeter>>['counter'], chunks: Buffer[], tick: () => void): Promise<void> {
  counter.resume();
  for (const chunk of chunks) {
    await new Promise((resolve) => counter.write(chunk, resolve));
    tick();
  }
  counter.end();
}

describe('the progress line of encrypt-file and decrypt-file', () => {
  test('formats bytes, rate, percentage and time left; the total only when known', () => {
    assert.equal(formatProgress({ done: 50 * MiB, total: 200 * MiB, elapsedMs: 2000 }), '50.0 MiB / 200.0 MiB  25%  25.0 MiB/s  0:06 left');
    assert.equal(formatProgress({ done: 50 * MiB, elapsedMs: 2000 }), '50.0 MiB  25.0 MiB/s');
    assert.equal(formatProgress({ done: 0, total: 10, elapsedMs: 0 }), '0 B / 10 B  0%');
    assert.equal(formatProgress({ done: 3 * 1024 ** 3, elapsedMs: 60_000, finished: true }), '3.0 GiB  51.2 MiB/s  in 1:00');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatDuration(59.2), '1:00');
    assert.equal(formatDuration(3 * 3600 + 62), '3:01:02');
  });

  test('nothing at all when stderr is not a terminal', () => {
    assert.equal(progressMeter({ terminal: fakeTerminal(false), total: 10 }), undefined);
  });

  test('on a terminal: redrawn in place each interval, then a final line; nothing for a run shorter than one interval', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      let now = 0;
      const terminal = fakeTerminal(true);
      const meter = progressMeter({ terminal, total: 4 * MiB, now: () => now, intervalMs: 200 })!;
      await feed(meter.counter, [Buffer.alloc(MiB), Buffer.alloc(MiB), Buffer.alloc(MiB), Buffer.alloc(MiB)], () => {
        now += 200;
        mock.timers.tick(200);
      });
      meter.finish();
      const lines = terminal.text.split('\r\x1b[K').filter((line) => line !== '');
      // Drawn at 0.2 s with 1 MiB counted: 5 MiB/s, so 0.6 s for the other 3 MiB; then at 0.4, 0.6 and 0.8 s.
      assert.deepEqual(lines, [
        '1.0 MiB / 4.0 MiB  25%  5.0 MiB/s  0:01 left',
        '2.0 MiB / 4.0 MiB  50%  5.0 MiB/s  0:01 left',
        '3.0 MiB / 4.0 MiB  75%  5.0 MiB/s  0:01 left',
        '4.0 MiB / 4.0 MiB  100%  5.0 MiB/s  0:00 left',
        '4.0 MiB  5.0 MiB/s  in 0:01\n',
      ]);

      const quick = fakeTerminal(true);
      const quickMeter = progressMeter({ terminal: quick, now: () => 0, intervalMs: 200 })!;
      await feed(quickMeter.counter, [Buffer.alloc(10)], () => undefined);
      quickMeter.finish();
      assert.equal(quick.text, '');
    } finally {
      mock.timers.reset();
    }
  });

  test('abandoned (the run failed): the line is erased for the error message; never wider than the terminal', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const terminal = fakeTerminal(true, 20);
      let now = 0;
      const meter = progressMeter({ terminal, total: 2 * MiB, now: () => now, intervalMs: 200 })!;
      await feed(meter.counter, [Buffer.alloc(MiB)], () => {
        now += 300;
        mock.timers.tick(300);
      });
      meter.abandon();
      assert.ok(terminal.text.endsWith('\r\x1b[K'));
      for (const line of terminal.text.split('\r\x1b[K')) assert.ok(line.length <= 19, line);
    } finally {
      mock.timers.reset();
    }
  });
});
