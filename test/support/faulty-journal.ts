import type { JournalFile } from '../../src/audit/journal.js';

/** A journal whose next append fails once, as a full or failing disk would make it. */
export function failingOnce(): { wrap: (journal: JournalFile) => JournalFile; arm: () => void } {
  let armed = false;
  return {
    arm: () => (armed = true),
    wrap: (journal) => ({
      get path() {
        return journal.path;
      },
      get length() {
        return journal.length;
      },
      capacity: journal.capacity,
      append: (text) => {
        if (!armed) return journal.append(text);
        armed = false;
        return Promise.reject(new Error('ENOSPC: no space left on device'));
      },
      truncate: (length) => journal.truncate(length),
      close: () => journal.close(),
    }),
  };
}
