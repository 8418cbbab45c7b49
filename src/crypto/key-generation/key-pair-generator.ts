import { randomBytes as systemRandomBytes } from 'node:crypto';
import type { KeySpec } from '../asymmetric/aws-names.js';
import { asymmetricKeyKind, isSupported } from '../asymmetric/asymmetric-key-kind.js';
import { UnsupportedAlgorithmError } from '../asymmetric/crypto-errors.js';
import { generateFreshKeyPair, type AsymmetricKeyPair } from './generate-fresh-key-pair.js';
import { RsaKeyPool, type RsaKeySpec } from './rsa-key-pool.js';

/** AWS's DataKeyPairSpec enum (service-2.json), verbatim. */
export type DataKeyPairSpec =
  | 'RSA_2048' | 'RSA_3072' | 'RSA_4096'
  | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1'
  | 'SM2' | 'ECC_NIST_EDWARDS25519';

const DATA_KEY_PAIR_SPECS: ReadonlySet<string> = new Set<DataKeyPairSpec>([
  'RSA_2048', 'RSA_3072', 'RSA_4096',
  'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'SM2', 'ECC_NIST_EDWARDS25519',
]);

export interface KeyPairGeneratorOptions {
  /** Pre-generated pairs kept per RSA size (default 2; 0 disables the pool, e.g. in unit tests). */
  readonly rsaPoolSizePerSpec?: number;
  /** Random source for ML-DSA seeds (OpenSSL draws its own randomness for RSA/EC/Ed25519). */
  readonly randomBytes?: (length: number) => Buffer;
  /** Receives failures of background RSA generation (for the server's log). */
  readonly onBackgroundError?: (error: unknown) => void;
}

/** Key pair generation for CreateKey and GenerateDataKeyPair; dispose with `close()`. */
export interface KeyPairGenerator {
  /** A new pair for an asymmetric KMS key spec (RSA from the pool when one is ready). */
  generateKeyPair(spec: KeySpec): Promise<AsymmetricKeyPair>;
  /** A new pair for GenerateDataKeyPair; only AWS's DataKeyPairSpec values are accepted. */
  generateDataKeyPair(spec: DataKeyPairSpec): Promise<AsymmetricKeyPair>;
  /** Stops background generation and wipes pooled keys; resolves when nothing is running any more. */
  close(): Promise<void>;
}

/** Whether a supported spec is an RSA one (pooled, since RSA generation is slow): the key kind's table says. */
function isRsa(spec: KeySpec): spec is RsaKeySpec {
  return asymmetricKeyKind(spec).type === 'rsa';
}

/**
 * Builds the generator. RSA generation never runs on the event loop (libuv threadpool), and RSA pairs
 * come from a lazily filled, bounded pool, so CreateKey with RSA_4096 stays responsive.
 *
 * @example
 *   const generator = createKeyPairGenerator({});
 *   const { privateKey, publicKey } = await generator.generateKeyPair('RSA_4096');
 *   // privateKey: SecretBytes (PKCS#8 DER) to wrap with the root key; publicKey: SPKI DER
 *   await generator.close();
 */
export function createKeyPairGenerator(options: KeyPairGeneratorOptions): KeyPairGenerator {
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const pool = new RsaKeyPool({
    targetPerSpec: options.rsaPoolSizePerSpec ?? 2,
    generate: (spec) => generateFreshKeyPair(spec, randomBytes),
    ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
  });

  const generateKeyPair = async (spec: KeySpec): Promise<AsymmetricKeyPair> => {
    if (!isSupported(spec)) throw new UnsupportedAlgorithmError(`Key spec ${spec} is not a supported asymmetric key spec`);
    return isRsa(spec) ? pool.take(spec) : generateFreshKeyPair(spec, randomBytes);
  };

  return {
    generateKeyPair,
    async generateDataKeyPair(spec: DataKeyPairSpec): Promise<AsymmetricKeyPair> {
      if (!DATA_KEY_PAIR_SPECS.has(spec)) throw new UnsupportedAlgorithmError(`${spec as string} is not a data key pair spec`);
      return generateKeyPair(spec);
    },
    close: () => pool.close(),
  };
}
