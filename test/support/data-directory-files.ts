import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';

/**
 * What tests of roots of trust look at in a data directory (its files, its store's settings and wrapped rows)
 * and the secret files they hand to `strongroom` (a passphrase, a PIN).
 */

/** Every file under `dir` (recursively), by path relative to it, with the SHA-256 of its bytes; directories as 'dir'. */
export function directorySnapshot(dir: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (statSync(child).isDirectory()) {
        snapshot[relative(dir, child)] = 'dir';
        walk(child);
      } else {
        snapshot[relative(dir, child)] = createHash('sha256').update(readFileSync(child)).digest('hex');
      }
    }
  };
  walk(dir);
  return snapshot;
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Writes `content` to `dir/name` with `mode` (0600 by default, as `strongroom` requires of secret files). */
export function writeSecretFile(dir: string, name: string, content: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode });
  return path;
}

/** The wrapped secrets of a stopped server's store, read as an operator (or a thief of the file) would. */
export interface WrappedRows {
  readonly materials: ReadonlyMap<string, Buffer>;
  readonly accessKeys: ReadonlyMap<string, Buffer>;
  readonly settings: ReadonlyMap<string, string>;
}

/**
 * The store of a data directory whose server is stopped: its key material, access key and settings rows. A
 * read-write connection, closed again: SQLite removes its WAL files on the last close, so the directory is left
 * as it was found.
 */
export function readDataDirectoryStore(dataDir: string): WrappedRows {
  const db = new Database(dataDirectoryLayout(dataDir).database, { fileMustExist: true });
  try {
    const materials = db.prepare<[], { key_arn: string; id: string; wrapped: Buffer }>('SELECT key_arn, id, wrapped FROM key_materials').all();
    const accessKeys = db.prepare<[], { access_key_id: string; wrapped_secret: Buffer }>('SELECT access_key_id, wrapped_secret FROM access_keys').all();
    const settings = db.prepare<[], { name: string; value: string }>('SELECT name, value FROM settings').all();
    return {
      materials: new Map(materials.map((row) => [`${row.key_arn}/${row.id}`, row.wrapped])),
      accessKeys: new Map(accessKeys.map((row) => [row.access_key_id, row.wrapped_secret])),
      settings: new Map(settings.map((row) => [row.name, row.value])),
    };
  } finally {
    db.close();
  }
}

/** Every form a secret could leak in: raw, base64, base64url, hex. */
export function encodedForms(secret: Buffer): string[] {
  return [secret.toString('latin1'), secret.toString('base64'), secret.toString('base64url'), secret.toString('hex')];
}
