import { OutputFileError } from './atomic-output.js';
import type { KmsCallFailure } from './kms-connection.js';
import { UnexpectedMessage } from './message-expectations.js';

/** What went wrong, for `describeFailure`. */
export interface FailedRun {
  readonly command: 'encrypt-file' | 'decrypt-file';
  readonly error: unknown;
  /** Every KMS request that failed during the run. */
  readonly kmsFailures: readonly KmsCallFailure[];
}

/** How the keyring reports that no encrypted data key could be decrypted (each KMS failure's stack inside). */
const KEYRING_DECRYPT_FAILURE = 'Unable to decrypt data key';

/**
 * The one line a failed `encrypt-file` or `decrypt-file` prints: which step failed and why, with the AWS error
 * code where there is one, e.g. `decrypt-file: KMS refused Decrypt: DisabledException: arn:... is disabled.`
 * Never a stack trace. Never plaintext or a data key either: none of the errors described carries them (KMS and
 * the Encryption SDK keep both out of their messages; file errors name paths).
 */
export function describeFailure({ command, error, kmsFailures }: FailedRun): string {
  const kmsFailure = kmsFailures.find((failure) => failure.error === error)
    ?? (messageOf(error).startsWith(KEYRING_DECRYPT_FAILURE) ? kmsFailures[0] : undefined);
  if (kmsFailure !== undefined) return `${command}: ${describeKmsFailure(kmsFailure)}`;
  if (error instanceof UnexpectedMessage || error instanceof OutputFileError) return `${command}: ${error.message}`;
  if (isSystemError(error)) return `${command}: ${error.message}`;
  if (command === 'decrypt-file') {
    // Whatever else the SDK throws while reading a message means the input is not an intact message.
    return `${command}: the input is not an intact AWS Encryption SDK message (${firstLine(messageOf(error))})`;
  }
  return `${command}: ${firstLine(messageOf(error))}`;
}

function describeKmsFailure({ operation, error }: KmsCallFailure): string {
  if (isServiceError(error)) return `KMS refused ${operation}: ${error.name}: ${firstLine(error.message)}`;
  if (hasName(error, 'CredentialsProviderError')) {
    return `no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile): ${firstLine(messageOf(error))}`;
  }
  if (messageOf(error) === 'Region is missing') return 'no AWS region (set --region or AWS_REGION, or a profile with one)';
  if (isSystemError(error)) return `cannot reach KMS for ${operation}: ${firstLine(error.message)}`;
  return `${operation} failed: ${firstLine(messageOf(error))}`;
}

/** An error answered by the service (the SDK's `ServiceException`s carry `$fault` and the AWS code as `name`). */
function isServiceError(error: unknown): error is Error {
  return error instanceof Error && '$fault' in error;
}

/** An error of the operating system (a file, a socket): its message names the call and the path or address. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function hasName(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}
