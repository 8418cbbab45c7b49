import { UnwrapFailedError } from '../../crypto/crypto-errors.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import {
  IMPORT_WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  type ImportWrappingAlgorithm,
  type WrappingKeySpec,
} from '../../crypto/import-wrapping.js';
import { ExpiredImportTokenException, InvalidImportTokenException } from '../../errors.js';

/** AWS's import parameters are valid for 24 hours. */
export const IMPORT_PARAMETERS_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What an import token carries: the wrapping private key (PKCS#8 DER) and what it is good for. */
export interface ImportParameters {
  readonly keyArn: string;
  readonly algorithm: ImportWrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
  /** Epoch ms. */
  readonly validTo: number;
  readonly wrappingPrivateKey: SecretBytes;
}

/**
 * The import token: stateless, so that any node can complete an import and nothing is left to clean up when a
 * token is never used (ADR 0020). Format version 1:
 *
 *   header:  version (01) | validTo (u64be, epoch ms) | algorithm (u8) | wrapping key spec (u8)
 *   body:    the wrapping private key (PKCS#8 DER) wrapped by the root key (AES-256-GCM)
 *
 * with AAD = "strongroom/import-token/v1" ‖ 00 ‖ key ARN ‖ 00 ‖ header. The root key's authentication binds the
 * token to its key and its expiry: a token of another key, or with an edited header, does not unwrap. Enum values
 * are indexes into the fixed lists above, which must only ever grow at their end.
 */
const FORMAT_VERSION = 1;
const HEADER_BYTES = 11;
const AAD_LABEL = Buffer.from('strongroom/import-token/v1\0', 'utf8');

export function sealImportToken(rootKey: RootOfTrust, parameters: ImportParameters): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(FORMAT_VERSION, 0);
  header.writeBigUInt64BE(BigInt(parameters.validTo), 1);
  header.writeUInt8(IMPORT_WRAPPING_ALGORITHMS.indexOf(parameters.algorithm), 9);
  header.writeUInt8(WRAPPING_KEY_SPECS.indexOf(parameters.wrappingKeySpec), 10);
  const wrapped = rootKey.wrap(parameters.wrappingPrivateKey, tokenAad(parameters.keyArn, header));
  return Buffer.concat([header, wrapped]);
}

/**
 * The parameters an import token carries, for the key it was issued for.
 * @throws InvalidImportTokenException for a token of another key, a tampered or malformed token;
 *   ExpiredImportTokenException for an authentic token past its `validTo`.
 */
export function openImportToken(rootKey: RootOfTrust, keyArn: string, token: Buffer, now: number): ImportParameters {
  const invalid = new InvalidImportTokenException('Import token is invalid or does not belong to the specified key.');
  if (token.length <= HEADER_BYTES || token.readUInt8(0) !== FORMAT_VERSION) throw invalid;
  const header = token.subarray(0, HEADER_BYTES);
  const algorithm = IMPORT_WRAPPING_ALGORITHMS[header.readUInt8(9)];
  const wrappingKeySpec = WRAPPING_KEY_SPECS[header.readUInt8(10)];
  if (algorithm === undefined || wrappingKeySpec === undefined) throw invalid;
  let wrappingPrivateKey: SecretBytes;
  try {
    wrappingPrivateKey = rootKey.unwrap(token.subarray(HEADER_BYTES), tokenAad(keyArn, header));
  } catch (error) {
    // Only a token that does not authenticate is the caller's fault; a failing root of trust (a token's device
    // error) is the server's.
    if (!(error instanceof UnwrapFailedError)) throw error;
    throw invalid;
  }
  const validTo = Number(header.readBigUInt64BE(1));
  if (validTo <= now) {
    wrappingPrivateKey.wipe();
    throw new ExpiredImportTokenException('The import token has expired. Call GetParametersForImport for a new one.');
  }
  return { keyArn, algorithm, wrappingKeySpec, validTo, wrappingPrivateKey };
}

function tokenAad(keyArn: string, header: Buffer): Buffer {
  return Buffer.concat([AAD_LABEL, Buffer.from(keyArn, 'utf8'), Buffer.from([0]), header]);
}
