import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { SecretBytes } from '../../crypto/secret-bytes.js';

/** The longest secret file read (a passphrase or a PIN, not a document). */
const MAX_SECRET_FILE_BYTES = 1024;

/**
 * The passphrase of `--root-of-trust passphrase`: the file's content without its final line break, or typed at a
 * prompt on the terminal (not echoed). A file readable by group or others is refused, like the root key file.
 */
export async function readPassphrase(passphraseFile: string | undefined): Promise<SecretBytes> {
  if (passphraseFile !== undefined) return readSecretFile(passphraseFile, 'passphrase file');
  if (!process.stdin.isTTY) {
    throw new Error('--root-of-trust passphrase needs --passphrase-file (STRONGROOM_PASSPHRASE_FILE) when not run on a terminal');
  }
  return promptForPassphrase('Strongroom root of trust passphrase: ');
}

/**
 * The content of a file holding one secret (`what`: "passphrase file", "PIN file"), without its final line break.
 * Refused like the root key file when it is not a regular file or is readable by group or others; an empty one too.
 * Messages name the path, never the content.
 */
export async function readSecretFile(path: string, what: string): Promise<SecretBytes> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new Error(`${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    // fstat on the open handle: the checked file is the read file.
    const stats = await file.stat();
    if (!stats.isFile()) throw new Error(`${what} ${path} is not a regular file`);
    if ((stats.mode & 0o077) !== 0) {
      throw new Error(`${what} ${path} is accessible by group or others; run chmod 600 on it`);
    }
    if (stats.size > MAX_SECRET_FILE_BYTES) throw new Error(`${what} ${path} is longer than ${MAX_SECRET_FILE_BYTES} bytes`);
    const bytes = Buffer.alloc(stats.size);
    await file.read(bytes, 0, stats.size, 0);
    return nonEmpty(withoutFinalLineBreak(bytes), `${what} ${path}`);
  } finally {
    await file.close();
  }
}

/** Reads one line from the terminal without echoing it. */
async function promptForPassphrase(prompt: string): Promise<SecretBytes> {
  process.stderr.write(prompt);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    const line = await new Promise<string>((resolve) => lines.once('line', resolve));
    process.stderr.write('\n');
    return nonEmpty(Buffer.from(line, 'utf8'), 'the prompt');
  } finally {
    lines.close();
  }
}

function withoutFinalLineBreak(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  const kept = Buffer.from(bytes.subarray(0, end));
  bytes.fill(0);
  return kept;
}

function nonEmpty(bytes: Buffer, where: string): SecretBytes {
  if (bytes.length === 0) throw new Error(`the secret from ${where} is empty`);
  return SecretBytes.adopt(bytes);
}
