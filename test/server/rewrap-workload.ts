import assert from 'node:assert/strict';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateGrantCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateMacCommand, RotateKeyOnDemandCommand,
  SignCommand, VerifyCommand, VerifyMacCommand, type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { kmsClientOf, type Credentials } from '../support/cluster.js';

/*
 * What `strongroom rewrap` must carry over to the new root of trust, made through the API before the first move
 * and checked after each: key material of several specs (a symmetric key with two versions, RSA for encryption
 * and signing, ECC, HMAC), an IAM user's secret access key, a grant, and the grant token key.
 */

const PLAINTEXT = Buffer.from('made before every rewrap');
const MESSAGE = Buffer.from('signed before every rewrap');
const CONTEXT = { purpose: 'rewrap' };
const GRANT_NAME = 'reader-may-decrypt';

/** What was made before the first rewrap, and what it answered. */
export interface Workload {
  readonly symmetricKeyId: string;
  /** Encrypted under the symmetric key's first material version (the key was rotated afterwards). */
  readonly ciphertext: Uint8Array;
  readonly rsaEncryption: { readonly keyId: string; readonly ciphertext: Uint8Array };
  readonly signatures: ReadonlyArray<{ readonly keyId: string; readonly algorithm: 'RSASSA_PSS_SHA_256' | 'ECDSA_SHA_256'; readonly signature: Uint8Array }>;
  readonly hmac: { readonly keyId: string; readonly mac: Uint8Array };
  readonly reader: { readonly arn: string; readonly credentials: Credentials };
  /** The secret part of the grant's token: derived from the grant token key, so equal only under that key. */
  readonly grantTokenSecret: Buffer;
  readonly grantId: string;
}

const iamOf = (endpoint: string, credentials: Credentials) =>
  new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

/** Makes the workload through the server at `endpoint` as the administrator. */
export async function makeWorkload(endpoint: string, admin: Credentials): Promise<Workload> {
  const kms = kmsClientOf({ endpoint }, admin);
  const iam = iamOf(endpoint, admin);
  try {
    const create = async (input: CreateKeyCommandInput) =>
      (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
    const symmetricKeyId = await create({ Description: 'symmetric' });
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: symmetricKeyId, Plaintext: PLAINTEXT, EncryptionContext: CONTEXT }));
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: symmetricKeyId }));
    const rsaEncryptionKeyId = await create({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const rsaCiphertext = (await kms.send(new EncryptCommand({
      KeyId: rsaEncryptionKeyId, Plaintext: PLAINTEXT, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    }))).CiphertextBlob!;
    const signatures = [];
    for (const [KeySpec, algorithm] of [['RSA_2048', 'RSASSA_PSS_SHA_256'], ['ECC_NIST_P256', 'ECDSA_SHA_256']] as const) {
      const keyId = await create({ KeySpec, KeyUsage: 'SIGN_VERIFY' });
      const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: MESSAGE, SigningAlgorithm: algorithm }));
      signatures.push({ keyId, algorithm, signature: Signature! });
    }
    const hmacKeyId = await create({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: hmacKeyId, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }));
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    const reader = { arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
    const grant = await kms.send(new CreateGrantCommand({
      KeyId: symmetricKeyId, GranteePrincipal: reader.arn, Operations: ['Decrypt'], Name: GRANT_NAME,
    }));
    return {
      symmetricKeyId,
      ciphertext: CiphertextBlob!,
      rsaEncryption: { keyId: rsaEncryptionKeyId, ciphertext: rsaCiphertext },
      signatures,
      hmac: { keyId: hmacKeyId, mac: Mac! },
      reader,
      grantTokenSecret: grantTokenSecretOf(grant.GrantToken!),
      grantId: grant.GrantId!,
    };
  } finally {
    kms.destroy();
    iam.destroy();
  }
}

/**
 * Checks, through the server at `endpoint`, that everything made before still works: the ciphertexts decrypt, the
 * signature and MAC verify (and the keys sign and MAC anew), the reader decrypts through the grant with their own
 * access key, and the grant token key issues the same grant token secret as before.
 */
export async function assertWorkloadIntact(endpoint: string, admin: Credentials, workload: Workload): Promise<void> {
  const kms = kmsClientOf({ endpoint }, admin);
  const reader = kmsClientOf({ endpoint }, workload.reader.credentials);
  try {
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: workload.ciphertext, EncryptionContext: CONTEXT }));
    assert.deepEqual(Buffer.from(decrypted.Plaintext!), PLAINTEXT, 'the symmetric ciphertext');
    const rsa = await kms.send(new DecryptCommand({
      KeyId: workload.rsaEncryption.keyId, CiphertextBlob: workload.rsaEncryption.ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    }));
    assert.deepEqual(Buffer.from(rsa.Plaintext!), PLAINTEXT, 'the RSA ciphertext');
    for (const { keyId, algorithm, signature } of workload.signatures) {
      const verified = await kms.send(new VerifyCommand({ KeyId: keyId, Message: MESSAGE, Signature: signature, SigningAlgorithm: algorithm }));
      assert.equal(verified.SignatureValid, true, `the ${algorithm} signature`);
      await kms.send(new SignCommand({ KeyId: keyId, Message: PLAINTEXT, SigningAlgorithm: algorithm }));
    }
    const mac = await kms.send(new VerifyMacCommand({
      KeyId: workload.hmac.keyId, Message: MESSAGE, Mac: workload.hmac.mac, MacAlgorithm: 'HMAC_SHA_256',
    }));
    assert.equal(mac.MacValid, true, 'the MAC');
    const byReader = await reader.send(new DecryptCommand({ CiphertextBlob: workload.ciphertext, EncryptionContext: CONTEXT }));
    assert.deepEqual(Buffer.from(byReader.Plaintext!), PLAINTEXT, 'the reader, through the grant');
    // CreateGrant with the same name and parameters answers the same grant, with a token from the grant token key.
    const again = await kms.send(new CreateGrantCommand({
      KeyId: workload.symmetricKeyId, GranteePrincipal: workload.reader.arn, Operations: ['Decrypt'], Name: GRANT_NAME,
    }));
    assert.equal(again.GrantId, workload.grantId);
    assert.deepEqual(grantTokenSecretOf(again.GrantToken!), workload.grantTokenSecret, 'the grant token key');
  } finally {
    kms.destroy();
    reader.destroy();
  }
}

/** A grant token's secret: `0x01 ‖ secret (32) ‖ nonce (16) ‖ key ARN` (src/auth/grants/grant-token.ts). */
function grantTokenSecretOf(token: string): Buffer {
  return Buffer.from(token, 'base64url').subarray(1, 33);
}
