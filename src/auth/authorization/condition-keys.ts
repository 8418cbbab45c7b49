import type { KmsKey } from '../../keys/key.js';
import type { Caller } from '../caller.js';
import type { ConditionValue } from '../policy/index.js';

/** What a request says about itself, beyond who sent it, for its condition keys. */
export interface RequestFacts {
  readonly action: string;
  /** The validated request (wire member names). */
  readonly input: Readonly<Record<string, unknown>>;
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
 *   buildConditionKeys({ action: 'kms:Decrypt', input: { EncryptionContext: { tenant: 'a' } }, caller, key, ... })
 *   // → { 'kms:EncryptionContext:tenant': 'a', 'kms:EncryptionContextKeys': ['tenant'], 'kms:CallerAccount': ..., ... }
 */
export function buildConditionKeys(facts: RequestFacts): Conditions {
  const { action, input, caller, key } = facts;
  const conditions: Conditions = {
    'aws:SourceIp': facts.sourceIp,
    'aws:SecureTransport': facts.secureTransport,
    'aws:CurrentTime': new Date(facts.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': Math.floor(facts.now / 1000),
    'kms:CallerAccount': caller.accountId,
  };
  // AWS sets it for temporary credentials only (false unless the session was created with MFA).
  if (caller.type === 'AssumedRole') conditions['aws:MultiFactorAuthPresent'] = false;
  addEncryptionContext(conditions, encryptionContextOf(action, input));
  addAlgorithms(conditions, action, input, key);
  addKeyProperties(conditions, action, input, key);
  addGrantKeys(conditions, action, input);
  addTags(conditions, input, key);
  if (facts.requestAlias !== undefined) conditions['kms:RequestAlias'] = facts.requestAlias;
  if (facts.resourceAliases !== undefined) conditions['kms:ResourceAliases'] = facts.resourceAliases;
  if (action === 'kms:EnableKeyRotation') conditions['kms:RotationPeriodInDays'] = numberOr(input['RotationPeriodInDays'], 365);
  if (action === 'kms:ScheduleKeyDeletion') {
    conditions['kms:ScheduleKeyDeletionPendingWindowInDays'] = numberOr(input['PendingWindowInDays'], 30);
  }
  if (action === 'kms:CreateKey' || action === 'kms:PutKeyPolicy') {
    conditions['kms:BypassPolicyLockoutSafetyCheck'] = input['BypassPolicyLockoutSafetyCheck'] === true;
  }
  return conditions;
}

/**
 * The encryption context an action is judged by: ReEncrypt's source or destination context; for CreateGrant
 * the grant's constraints (AWS applies kms:EncryptionContext:* there to the constraints); else the request's.
 */
export function encryptionContextOf(action: string, input: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  if (action === 'kms:ReEncryptFrom') return stringMap(input['SourceEncryptionContext']);
  if (action === 'kms:ReEncryptTo') return stringMap(input['DestinationEncryptionContext']);
  if (action === 'kms:CreateGrant') {
    const constraints = input['Constraints'] as Record<string, unknown> | undefined;
    const subset = stringMap(constraints?.['EncryptionContextSubset']);
    const equals = stringMap(constraints?.['EncryptionContextEquals']);
    return subset === undefined && equals === undefined ? undefined : { ...subset, ...equals };
  }
  return stringMap(input['EncryptionContext']);
}

function addEncryptionContext(conditions: Conditions, context: Record<string, string> | undefined): void {
  if (context === undefined || Object.keys(context).length === 0) return;
  for (const [name, value] of Object.entries(context)) conditions[`kms:EncryptionContext:${name}`] = value;
  conditions['kms:EncryptionContextKeys'] = Object.keys(context);
}

function addAlgorithms(conditions: Conditions, action: string, input: Readonly<Record<string, unknown>>, key: KmsKey | undefined): void {
  const member = action === 'kms:ReEncryptFrom' ? 'SourceEncryptionAlgorithm'
    : action === 'kms:ReEncryptTo' ? 'DestinationEncryptionAlgorithm' : 'EncryptionAlgorithm';
  const algorithm = input[member];
  if (typeof algorithm === 'string') conditions['kms:EncryptionAlgorithm'] = algorithm;
  else if (SYMMETRIC_ACTIONS.has(action) && key?.spec === 'SYMMETRIC_DEFAULT') conditions['kms:EncryptionAlgorithm'] = 'SYMMETRIC_DEFAULT';
  setString(conditions, 'kms:SigningAlgorithm', input['SigningAlgorithm']);
  setString(conditions, 'kms:MacAlgorithm', input['MacAlgorithm']);
  if (action === 'kms:Sign' || action === 'kms:Verify') conditions['kms:MessageType'] = stringOr(input['MessageType'], 'RAW');
}

function addKeyProperties(conditions: Conditions, action: string, input: Readonly<Record<string, unknown>>, key: KmsKey | undefined): void {
  if (key !== undefined) {
    conditions['kms:KeySpec'] = key.spec;
    conditions['kms:KeyUsage'] = key.usage;
    conditions['kms:KeyOrigin'] = key.origin;
  } else if (action === 'kms:CreateKey') {
    conditions['kms:KeySpec'] = stringOr(input['KeySpec'] ?? input['CustomerMasterKeySpec'], 'SYMMETRIC_DEFAULT');
    conditions['kms:KeyUsage'] = stringOr(input['KeyUsage'], 'ENCRYPT_DECRYPT');
    conditions['kms:KeyOrigin'] = stringOr(input['Origin'], 'AWS_KMS');
  }
}

function addGrantKeys(conditions: Conditions, action: string, input: Readonly<Record<string, unknown>>): void {
  if (GRANT_MANAGEMENT_ACTIONS.has(action)) conditions['kms:GrantIsForAWSResource'] = false;
  if (action !== 'kms:CreateGrant') return;
  const operations = input['Operations'];
  if (Array.isArray(operations)) conditions['kms:GrantOperations'] = operations.filter((op): op is string => typeof op === 'string');
  const constraints = input['Constraints'] as Record<string, unknown> | undefined;
  const types = ['EncryptionContextEquals', 'EncryptionContextSubset'].filter((type) => constraints?.[type] !== undefined);
  if (types.length > 0) conditions['kms:GrantConstraintType'] = types;
}

function addTags(conditions: Conditions, input: Readonly<Record<string, unknown>>, key: KmsKey | undefined): void {
  const tags = input['Tags'];
  const tagKeys: string[] = [];
  if (Array.isArray(tags)) {
    for (const tag of tags as Array<Record<string, unknown>>) {
      if (typeof tag['TagKey'] !== 'string' || typeof tag['TagValue'] !== 'string') continue;
      conditions[`aws:RequestTag/${tag['TagKey']}`] = tag['TagValue'];
      tagKeys.push(tag['TagKey']);
    }
  }
  const removed = input['TagKeys'];
  if (Array.isArray(removed)) tagKeys.push(...removed.filter((name): name is string => typeof name === 'string'));
  if (tagKeys.length > 0) conditions['aws:TagKeys'] = tagKeys;
  for (const tag of key?.tags ?? []) conditions[`aws:ResourceTag/${tag.key}`] = tag.value;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, string>;
}

function setString(conditions: Conditions, name: string, value: unknown): void {
  if (typeof value === 'string') conditions[name] = value;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
