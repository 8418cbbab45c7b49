import type { KmsKey } from '../../keys/key.js';
import { DEFAULT_ENCRYPTION_ALGORITHM, isSymmetric } from '../../keys/key-spec.js';
import type { RequestTerms } from './request-terms.js';
import type { Caller } from '../caller.js';
import type { ConditionValue } from '../policy/index.js';

/** What a request says about itself, beyond who sent it, for its condition keys. */
export interface ConditionFacts {
  readonly action: string;
  /** What the request asks for, as its operation states it. */
  readonly terms: RequestTerms;
  readonly caller: Caller;
  readonly key?: KmsKey;
  readonly sourceIp: string;
  readonly secureTransport: boolean;
  /** Epoch milliseconds. */
  readonly now: number;
  /** The alias the request named the key by (`alias/...`), if it did. */
  readonly requestAlias?: string;
  /** The key's aliases, when a policy asks for kms:ResourceAliases (looked up only then). */
  readonly resourceAliases?: readonly string[];
}

type Conditions = Record<string, ConditionValue>;

/** Actions whose kms:EncryptionAlgorithm is SYMMETRIC_DEFAULT when the request names none. */
const SYMMETRIC_ACTIONS = new Set([
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext',
]);
const GRANT_MANAGEMENT_ACTIONS = new Set(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);

/**
 * The condition keys of one request, after the AWS KMS Developer Guide's condition key reference. Keys a
 * request does not carry are absent (so `...IfExists` and `Null` behave as in AWS); kms:ViaService is
 * always absent, since no AWS service calls Strongroom on a caller's behalf. The principal's own keys
 * (aws:PrincipalArn, aws:username, ...) are derived by the policy engine from the principal.
 *
 * @example
 *   buildConditionKeys({ action: 'kms:Decrypt', terms: { encryptionContext: { tenant: 'a' } }, caller, key, ... })
 *   // → { 'kms:EncryptionContext:tenant': 'a', 'kms:EncryptionContextKeys': ['tenant'], 'kms:CallerAccount': ..., ... }
 */
export function buildConditionKeys(facts: ConditionFacts): Conditions {
  const { action, terms, caller, key } = facts;
  const conditions: Conditions = {
    'aws:SourceIp': facts.sourceIp,
    'aws:SecureTransport': facts.secureTransport,
    'aws:CurrentTime': new Date(facts.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': Math.floor(facts.now / 1000),
    'kms:CallerAccount': caller.accountId,
  };
  // AWS sets it for temporary credentials only (false unless the session was created with MFA).
  if (caller.type === 'AssumedRole') conditions['aws:MultiFactorAuthPresent'] = false;
  addEncryptionContext(conditions, terms.encryptionContext);
  addAlgorithms(conditions, action, terms, key);
  addKeyProperties(conditions, terms, key);
  addGrantKeys(conditions, action, terms);
  addTags(conditions, terms, key);
  if (facts.requestAlias !== undefined) conditions['kms:RequestAlias'] = facts.requestAlias;
  if (facts.resourceAliases !== undefined) conditions['kms:ResourceAliases'] = facts.resourceAliases;
  setDefined(conditions, 'kms:RotationPeriodInDays', terms.rotationPeriodInDays);
  setDefined(conditions, 'kms:ReplicaRegion', terms.replicaRegion);
  setDefined(conditions, 'kms:PrimaryRegion', terms.primaryRegion);
  setDefined(conditions, 'kms:ScheduleKeyDeletionPendingWindowInDays', terms.pendingWindowInDays);
  setDefined(conditions, 'kms:BypassPolicyLockoutSafetyCheck', terms.bypassPolicyLockoutSafetyCheck);
  return conditions;
}

function addEncryptionContext(conditions: Conditions, context: Readonly<Record<string, string>> | undefined): void {
  if (context === undefined || Object.keys(context).length === 0) return;
  for (const [name, value] of Object.entries(context)) conditions[`kms:EncryptionContext:${name}`] = value;
  conditions['kms:EncryptionContextKeys'] = Object.keys(context);
}

function addAlgorithms(conditions: Conditions, action: string, terms: RequestTerms, key: KmsKey | undefined): void {
  if (terms.encryptionAlgorithm !== undefined) conditions['kms:EncryptionAlgorithm'] = terms.encryptionAlgorithm;
  else if (SYMMETRIC_ACTIONS.has(action) && key !== undefined && isSymmetric(key.spec)) conditions['kms:EncryptionAlgorithm'] = DEFAULT_ENCRYPTION_ALGORITHM;
  setDefined(conditions, 'kms:SigningAlgorithm', terms.signingAlgorithm);
  setDefined(conditions, 'kms:MacAlgorithm', terms.macAlgorithm);
  setDefined(conditions, 'kms:MessageType', terms.messageType);
  setDefined(conditions, 'kms:DataKeyPairSpec', terms.dataKeyPairSpec);
}

function addKeyProperties(conditions: Conditions, terms: RequestTerms, key: KmsKey | undefined): void {
  const properties = key ?? terms.newKey;
  if (properties === undefined) return;
  conditions['kms:KeySpec'] = properties.spec;
  conditions['kms:KeyUsage'] = properties.usage;
  conditions['kms:KeyOrigin'] = properties.origin;
  const multiRegion = key ? key.multiRegion : terms.newKey?.multiRegion ?? false;
  conditions['kms:MultiRegion'] = multiRegion;
  if (multiRegion) {
    conditions['kms:MultiRegionKeyType'] = key && key.primaryRegion !== key.region ? 'REPLICA' : 'PRIMARY';
  }
}

function addGrantKeys(conditions: Conditions, action: string, terms: RequestTerms): void {
  if (GRANT_MANAGEMENT_ACTIONS.has(action)) conditions['kms:GrantIsForAWSResource'] = false;
  const grant = terms.requestedGrant;
  if (grant === undefined) return;
  conditions['kms:GrantOperations'] = grant.operations;
  const types = [
    ...(grant.encryptionContextEquals === undefined ? [] : ['EncryptionContextEquals']),
    ...(grant.encryptionContextSubset === undefined ? [] : ['EncryptionContextSubset']),
  ];
  if (types.length > 0) conditions['kms:GrantConstraintType'] = types;
}

function addTags(conditions: Conditions, terms: RequestTerms, key: KmsKey | undefined): void {
  const tagKeys: string[] = [];
  for (const tag of terms.tags ?? []) {
    conditions[`aws:RequestTag/${tag.key}`] = tag.value;
    tagKeys.push(tag.key);
  }
  tagKeys.push(...(terms.removedTagKeys ?? []));
  if (tagKeys.length > 0) conditions['aws:TagKeys'] = tagKeys;
  for (const tag of key?.tags ?? []) conditions[`aws:ResourceTag/${tag.key}`] = tag.value;
}

function setDefined(conditions: Conditions, name: string, value: string | number | boolean | undefined): void {
  if (value !== undefined) conditions[name] = value;
}
