import {
  KeyringNode,
  NodeDefaultCryptographicMaterialsManager,
  type EncryptionContext,
  type NodeMaterialsManager,
} from '@aws-crypto/client-node';

/** What `decrypt-file` requires of a message before it asks KMS for the data key. */
export interface MessageExpectations {
  /** `--context`: pairs the message's encryption context must contain (it may contain more). */
  readonly encryptionContext: EncryptionContext;
  /** `--key-id`, as ARNs: the message must name one of them. Undefined: any key (discovery). */
  readonly keyArns?: readonly string[];
}

/** A message that is not what `decrypt-file` was told to expect. Its message names keys, never values. */
export class UnexpectedMessage extends Error {
  override readonly name = 'UnexpectedMessage';
}

/**
 * Parses `--context` pairs (`key=value`, split at the first `=`; a value may itself contain `=`).
 *
 * @example parseEncryptionContext(['purpose=backup', 'host=db1']) // { purpose: 'backup', host: 'db1' }
 */
export function parseEncryptionContext(pairs: readonly string[]): EncryptionContext {
  const context: EncryptionContext = {};
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator < 1) throw new Error(`--context takes KEY=VALUE, got: ${pair}`);
    const key = pair.slice(0, separator);
    if (Object.hasOwn(context, key)) throw new Error(`--context names '${key}' twice`);
    context[key] = pair.slice(separator + 1);
  }
  return context;
}

/**
 * The keyring's materials manager, refusing a message whose encryption context lacks an expected pair (more
 * pairs are fine: the SDK adds its own, e.g. `aws-crypto-public-key`; a subset is what the AWS Encryption CLI
 * checks too), or that names none of the expected keys (the keyring would skip them silently and the SDK then
 * fail with a message that says nothing of keys).
 *
 * Why here, before the data key is decrypted, rather than on the parsed header: a wrong message is refused
 * without a KMS call (nothing to audit or throttle), and certainly before any plaintext exists. Refusing on the
 * not-yet-authenticated header is safe; a message that passes is still authenticated by KMS (which binds the
 * context to the data key) and by the header's authentication tag.
 */
export function materialsManagerExpecting(keyring: KeyringNode, expected: MessageExpectations): NodeMaterialsManager {
  const manager = new NodeDefaultCryptographicMaterialsManager(keyring);
  return {
    getEncryptionMaterials: (request) => manager.getEncryptionMaterials(request),
    async decryptMaterials(request) {
      checkEncryptionContext(request.encryptionContext, expected.encryptionContext);
      if (expected.keyArns !== undefined) {
        const named = request.encryptedDataKeys.filter((key) => key.providerId === 'aws-kms').map((key) => key.providerInfo);
        if (!named.some((arn) => expected.keyArns?.includes(arn))) {
          const names = named.length === 0 ? 'no KMS key' : named.join(', ');
          throw new UnexpectedMessage(`the message was not encrypted under a key given with --key-id (it names ${names})`);
        }
      }
      return manager.decryptMaterials(request);
    },
  };
}

function checkEncryptionContext(actual: EncryptionContext, expected: EncryptionContext): void {
  const missing: string[] = [];
  const different: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (!Object.hasOwn(actual, key)) missing.push(`'${key}'`);
    else if (actual[key] !== value) different.push(`'${key}'`);
  }
  if (missing.length === 0 && different.length === 0) return;
  const problems = [
    ...(missing.length === 0 ? [] : [`it has no ${missing.join(', ')}`]),
    ...(different.length === 0 ? [] : [`it has another value for ${different.join(', ')}`]),
  ];
  throw new UnexpectedMessage(`the message's encryption context does not match --context: ${problems.join('; ')}`);
}
