import { fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Duplex, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { OutputError } from '../command-output.js';
import { openAtomicOutput, type AtomicOutput } from './atomic-output.js';
import { describeFailure } from './failure-message.js';
import { parseFileEncryptionArgs, type FileEncryptionCommand, type FileEncryptionRequest } from './file-encryption-args.js';
import { FILE_ENCRYPTION_USAGE } from './file-encryption-usage.js';
import { connectToKms, type KmsConnection } from './kms-connection.js';
import { materialsManagerExpecting } from './message-expectations.js';
import { containedSdkStream } from './sdk-stream.js';
import { progressMeter, type ProgressMeter, type ProgressTerminal } from './progress.js';

/** The standard streams, opened only when used (opening stdout changes a pipe for everyone sharing it). */
export interface FileEncryptionIo {
  stdin(): Readable;
  stdout(): Writable;
  /** Where the progress line goes (drawn only when it is a terminal). */
  readonly stderr: ProgressTerminal;
  /** Prints the usage for `--help`. */
  print(text: string): void;
}

/** The process's own standard streams; `print` is how the CLI prints (for `--help`). */
export function processFileEncryptionIo(print: (text: string) => void): FileEncryptionIo {
  return { stdin: () => process.stdin, stdout: () => process.stdout, stderr: process.stderr, print };
}

/**
 * The Encryption SDK's client with the committing policy (the SDK's default): it writes only key-committing
 * messages and refuses to decrypt any other kind.
 */
const encryptionSdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/**
 * `strongroom encrypt-file` and `strongroom decrypt-file`: IN to OUT through the AWS Encryption SDK's streams,
 * with a KMS keyring on the configured endpoint (docs/file-encryption.md). Streamed, so memory stays constant
 * whatever the file's size. A failure removes any partial OUT and throws one line; the caller prints it and
 * exits 1 (a reader of `-` who went away: an `OutputError`, which ends the process quietly).
 */
export async function runFileEncryptionCommand(command: FileEncryptionCommand, args: readonly string[], io: FileEncryptionIo): Promise<number> {
  const request = parseFileEncryptionArgs(command, args);
  if (request === 'help') {
    io.print(`Usage:\n${FILE_ENCRYPTION_USAGE}`);
    return 0;
  }
  const kms = connectToKms(request.connection);
  let output: AtomicOutput | undefined;
  let meter: ProgressMeter | undefined;
  // Node exits with 0 when nothing is left to wait for, even with this command unfinished (a stream that never
  // ends): never let that pass for success.
  const stoppedEarly = (): void => {
    process.exitCode = 1;
    process.stderr.write(`strongroom: ${command}: stopped before finishing\n`);
  };
  process.once('beforeExit', stoppedEarly);
  try {
    const input = await openInput(request.input, io); // first: an IN that cannot be read costs no KMS request
    const transform = containedSdkStream(command === 'encrypt-file' ? encryptor(request, kms) : await decryptor(request, kms));
    output = await openAtomicOutput(request.output, () => io.stdout());
    meter = progressMeter({ terminal: io.stderr, ...(input.size === undefined ? {} : { total: input.size }) });
    await pipeline([input.stream, ...(meter ? [meter.counter] : []), transform, output.stream]);
    await output.commit();
    meter?.finish();
    return 0;
  } catch (error) {
    meter?.abandon();
    await output?.discard();
    if (request.output === '-' && (error as NodeJS.ErrnoException).code === 'EPIPE') throw new OutputError(error as Error);
    throw new Error(describeFailure({ command, error, kmsFailures: kms.failures }));
  } finally {
    process.off('beforeExit', stoppedEarly);
    kms.close();
  }
}

function encryptor(request: FileEncryptionRequest, kms: KmsConnection): Duplex {
  const [generatorKeyId, ...keyIds] = request.keyIds;
  const keyring = new KmsKeyringNode({ clientProvider: kms.clientFor, ...(generatorKeyId === undefined ? {} : { generatorKeyId }), keyIds });
  return encryptionSdk.encryptStream(keyring, { encryptionContext: request.encryptionContext });
}

async function decryptor(request: FileEncryptionRequest, kms: KmsConnection): Promise<Duplex> {
  // The keyring matches a message's keys by ARN, so key ids and aliases are resolved first (DescribeKey).
  const keyArns = request.keyIds.length === 0 ? undefined : await Promise.all(request.keyIds.map((keyId) => kms.keyArn(keyId)));
  const keyring = keyArns === undefined
    ? new KmsKeyringNode({ clientProvider: kms.clientFor, discovery: true })
    : new KmsKeyringNode({ clientProvider: kms.clientFor, keyIds: keyArns });
  const materials = materialsManagerExpecting(keyring, {
    encryptionContext: request.encryptionContext,
    ...(keyArns === undefined ? {} : { keyArns }),
  });
  return encryptionSdk.decryptStream(materials);
}

/** IN, with its size when it is a regular file (for the progress line's percentage and time left). */
async function openInput(path: string, io: FileEncryptionIo): Promise<{ stream: Readable; size?: number }> {
  if (path === '-') {
    const stats = fstatSync(0);
    return { stream: io.stdin(), ...(stats.isFile() ? { size: stats.size } : {}) };
  }
  const handle = await open(path, 'r');
  const stats = await handle.stat();
  return { stream: handle.createReadStream(), ...(stats.isFile() ? { size: stats.size } : {}) };
}
