import { MalformedPolicyDocumentException, UnsupportedOperationException, ValidationException } from '../errors.js';
import { keyArn, type KeyOrigin, type KeyScope, type KmsKey, type Tag } from '../keys/key.js';
import { KEY_SPECS, type KeySpec, type KeyUsage } from '../keys/key-spec.js';
import { defaultKeyPolicy } from '../keys/default-key-policy.js';
import { newSymmetricMaterial } from './key-materials.js';
import { DEFAULT_ROTATION_PERIOD_DAYS } from './rotation.js';
import type { ServiceDependencies } from './services.js';

export interface NewKeyParameters {
  readonly spec: KeySpec;
  readonly usage: KeyUsage;
  readonly origin: KeyOrigin;
  readonly description: string;
  readonly policy?: string;
  readonly tags: readonly Tag[];
  readonly multiRegion: boolean;
}

/** Creates a customer managed key with its first key material; durable when this resolves. */
export async function createKey(
  deps: ServiceDependencies,
  scope: KeyScope,
  params: NewKeyParameters,
): Promise<KmsKey> {
  if (!KEY_SPECS[params.spec].usages.includes(params.usage)) {
    throw new ValidationException(
      `KeyUsage ${params.usage} is not compatible with KeySpec ${params.spec}`,
    );
  }
  if (params.origin !== 'AWS_KMS') {
    throw new UnsupportedOperationException(`Origin ${params.origin} is not supported by this server.`);
  }
  if (params.multiRegion) {
    throw new UnsupportedOperationException('Multi-Region keys are not supported by this server.');
  }
  if (params.spec !== 'SYMMETRIC_DEFAULT') {
    throw new UnsupportedOperationException(`KeySpec ${params.spec} is not supported yet.`);
  }
  const id = deps.newKeyId();
  const arn = keyArn(scope, id);
  const material = newSymmetricMaterial(deps, arn);
  const key: KmsKey = {
    ...scope,
    id,
    arn,
    spec: params.spec,
    usage: params.usage,
    origin: params.origin,
    manager: 'CUSTOMER',
    multiRegion: false,
    createdAt: deps.now(),
    description: params.description,
    state: 'Enabled',
    policy: params.policy ?? defaultKeyPolicy(scope.accountId),
    tags: params.tags,
    rotation: { enabled: false, periodInDays: DEFAULT_ROTATION_PERIOD_DAYS },
    currentMaterialId: material.id,
    revision: 1,
  };
  await deps.store.keys.create(key, material);
  return key;
}

/** Checks that a key policy is a JSON object (the full policy grammar is checked by the policy engine). */
export function assertPolicyDocument(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw new MalformedPolicyDocumentException('The new key policy is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedPolicyDocumentException('The key policy must be a JSON object.');
  }
}
