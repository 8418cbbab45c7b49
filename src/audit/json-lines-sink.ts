import { closeSync, openSync, writeSync } from 'node:fs';
import type { AuditSink, CommittedEvent } from './audit-log.js';

/** A JSON Lines sink that can be closed (the file descriptor it owns). */
export interface JsonLinesSink extends AuditSink {
  close(): void;
}

/** Where the sink writes: a file (appended to, created with mode 0600) or an already open descriptor (stdout: 1). */
export type JsonLinesTarget = { readonly path: string } | { readonly fd: number };

/**
 * A streaming sink: each durable event as one JSON line (the exact record the trail stored), for log
 * shippers. The audit log calls it once the record is on disk, never before, so the stream never shows an
 * event that the trail does not have. Writes are synchronous so that lines of one batch stay in order.
 *
 * @example
 *   const sink = createJsonLinesSink({ path: join(dataDir, 'audit.jsonl') });
 *   const log = openAuditLog({ ..., sinks: [sink] });
 *   // or to stdout: createJsonLinesSink({ fd: 1 })
 */
export function createJsonLinesSink(target: JsonLinesTarget): JsonLinesSink {
  const ownsFd = 'path' in target;
  const fd = ownsFd ? openSync(target.path, 'a', 0o600) : target.fd;
  let open = true;
  return {
    write(events: readonly CommittedEvent[]): void {
      if (!open || events.length === 0) return;
      // Every serving process streams its own records. A file is opened for appending, and each append lands
      // whole, so one write per batch is safe. Stdout is one pipe shared by all the processes, and only writes
      // of up to 4 KiB (PIPE_BUF) are atomic there, so it gets one write per line: lines of different
      // processes never mix. (Only a record that is itself longer, such as a large key policy, could be split.)
      const lines = events.map((committed) => `${committed.json}\n`);
      const chunks = ownsFd ? [lines.join('')] : lines;
      for (const chunk of chunks) {
        const bytes = Buffer.from(chunk, 'utf8');
        // A pipe may take fewer bytes than offered: write until everything is out.
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
      }
    },
    close(): void {
      if (!open) return;
      open = false;
      if (ownsFd) closeSync(fd);
    },
  };
}
