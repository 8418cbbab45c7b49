import type { KmsNodeClientSupplier } from '@aws-crypto/client-node';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  type KMSClientConfig,
} from '@aws-sdk/client-kms';

/** Where and as whom to call KMS: the AWS CLI's flags; anything not given comes from the SDK's default chain. */
export interface KmsConnectionOptions {
  /** `--endpoint-url`; otherwise AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL or the profile's `endpoint_url`. */
  readonly endpointUrl?: string;
  /** `--region`; otherwise AWS_REGION or the profile's region. A key ARN's own region wins over both. */
  readonly region?: string;
  /** `--profile`; otherwise AWS_PROFILE or `default`. */
  readonly profile?: string;
}

/** A KMS request that failed, as the caller is told about it (the SDK itself folds these into long stacks). */
export interface KmsCallFailure {
  readonly operation: 'GenerateDataKey' | 'Encrypt' | 'Decrypt' | 'DescribeKey';
  readonly error: unknown;
}

/** The one KMS interface the Encryption SDK's keyring calls (the SDK's `AwsEsdkKMSInterface`). */
type EsdkKmsClient = Exclude<ReturnType<KmsNodeClientSupplier>, false>;

/**
 * The KMS clients of one command: the keyring's client supplier, one SDK client per region, and the failures of
 * every request it made. Why an adapter instead of handing the keyring `KMSClient`s: the keyring swallows a
 * failed Decrypt and reports "Unable to decrypt data key" with every failure's stack inside one message; the
 * failures recorded here let the command say which request failed and why, in one line.
 *
 * @example
 *   const kms = connectToKms({ endpointUrl: 'http://127.0.0.1:4599' });
 *   const keyring = new KmsKeyringNode({ clientProvider: kms.clientFor, generatorKeyId: 'alias/backup' });
 *   ... // encrypt or decrypt with the keyring
 *   kms.failures; // [{ operation: 'GenerateDataKey', error: DisabledException }] when the key was disabled
 *   kms.close();
 */
export interface KmsConnection {
  readonly clientFor: KmsNodeClientSupplier;
  readonly failures: readonly KmsCallFailure[];
  /** The key ARN of a key id, alias name or ARN (the keyring matches a message's keys by ARN only). */
  keyArn(keyId: string): Promise<string>;
  close(): void;
}

const KEY_ARN = /^arn:[\w-]+:kms:[\w-]*:\d{12}:key\//;

export function connectToKms(options: KmsConnectionOptions): KmsConnection {
  // The SDK warns on stderr, once per process, that its releases from 2027 on need Node 22: news for this
  // project's maintainers, noise for someone encrypting a file (and stderr must stay empty on a pipe).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const clients = new Map<string, KMSClient>();
  const failures: KmsCallFailure[] = [];

  /** `region` '' (a key id or alias, which names no region): the configured region. */
  const sdkClient = (region: string): KMSClient => {
    let client = clients.get(region);
    if (client === undefined) {
      client = new KMSClient(clientConfig(options, region));
      clients.set(region, client);
    }
    return client;
  };

  async function recorded<T>(operation: KmsCallFailure['operation'], request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (error) {
      failures.push({ operation, error });
      throw error;
    }
  }

  const clientFor: KmsNodeClientSupplier = (region) => {
    const client = sdkClient(region);
    const esdkClient: EsdkKmsClient = {
      generateDataKey: async (input) => withoutUndefined(await recorded('GenerateDataKey', client.send(new GenerateDataKeyCommand(input)))),
      encrypt: async (input) => withoutUndefined(await recorded('Encrypt', client.send(new EncryptCommand(input)))),
      decrypt: async (input) => withoutUndefined(await recorded('Decrypt', client.send(new DecryptCommand(input)))),
    };
    return esdkClient;
  };

  return {
    clientFor,
    failures,
    async keyArn(keyId) {
      if (KEY_ARN.test(keyId)) return keyId;
      const { KeyMetadata } = await recorded('DescribeKey', sdkClient('').send(new DescribeKeyCommand({ KeyId: keyId })));
      if (KeyMetadata?.Arn === undefined) throw new Error(`DescribeKey returned no ARN for ${keyId}`);
      return KeyMetadata.Arn;
    },
    close() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}

function clientConfig(options: KmsConnectionOptions, keyRegion: string): KMSClientConfig {
  const region = keyRegion !== '' ? keyRegion : options.region;
  return {
    ...(region === undefined ? {} : { region }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  };
}

/** The SDK's response fields the keyring reads, leaving out absent ones (its types say absent, not undefined). */
function withoutUndefined(output: { KeyId?: string | undefined; Plaintext?: Uint8Array | undefined; CiphertextBlob?: Uint8Array | undefined }): {
  KeyId?: string;
  Plaintext?: Uint8Array;
  CiphertextBlob?: Uint8Array;
} {
  return {
    ...(output.KeyId === undefined ? {} : { KeyId: output.KeyId }),
    ...(output.Plaintext === undefined ? {} : { Plaintext: output.Plaintext }),
    ...(output.CiphertextBlob === undefined ? {} : { CiphertextBlob: output.CiphertextBlob }),
  };
}
