import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { CreateKeyCommand, GetPublicKeyCommand, type KeySpec, type KeyUsageType, type KMSClient } from '@aws-sdk/client-kms';

/** Helpers shared by the asymmetric API tests: create a key of a spec and usage, fetch its public key. */

export interface CreatedKey {
  readonly id: string;
  readonly arn: string;
}

export async function createKeyOf(kms: KMSClient, spec: KeySpec, usage: KeyUsageType): Promise<CreatedKey> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
  assert.ok(KeyMetadata?.KeyId && KeyMetadata.Arn);
  return { id: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
}

/** The DER SPKI GetPublicKey returns, and the same as a node:crypto KeyObject (not for ML-DSA). */
export async function publicKeyOf(kms: KMSClient, keyId: string): Promise<{ spki: Buffer; keyObject: () => KeyObject }> {
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  assert.ok(PublicKey);
  const spki = Buffer.from(PublicKey);
  return { spki, keyObject: () => createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
}

/** The hash of an AWS signing algorithm name (…_SHA_256 → sha256). */
export function hashOf(algorithm: string): 'sha256' | 'sha384' | 'sha512' {
  const bits = /SHA_(256|384|512)$/.exec(algorithm)?.[1];
  assert.ok(bits, `no hash in ${algorithm}`);
  return `sha${bits}` as 'sha256' | 'sha384' | 'sha512';
}
