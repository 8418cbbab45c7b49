import type { AuditObject, AuditValue } from './audit-value.js';
import { operationRule, type FieldRule, type StructureRule } from './redaction-rules.js';

/**
 * What the audit trail records of a request: the members of `input` (a wire request, `{ KeyId, Plaintext, ... }`)
 * that AWS KMS logs for `operation`, renamed to camelCase. Everything else is dropped, whatever its name or
 * type: the allow-list decides, and a blob (Buffer, Uint8Array, SecretBytes) is never recorded even if a rule
 * were to name it. Unknown operations record nothing (`null`).
 *
 * @example
 *   toAuditParameters('Encrypt', { KeyId: 'alias/app', Plaintext: 'c2VjcmV0', EncryptionContext: { app: 'x' } })
 *   // → { keyId: 'alias/app', encryptionContext: { app: 'x' } }
 */
export function toAuditParameters(operation: string, input: unknown): AuditObject | null {
  const rule = operationRule(operation);
  if (rule === undefined || !isPlainObject(input)) return null;
  return filterStructure(input, rule.request);
}

/** Options of {@link toAuditResponse}. */
export interface AuditResponseOptions {
  /** The ARN of the key the request acted on; AWS records it in `responseElements.keyId` of key management operations. */
  readonly keyArn?: string;
}

/**
 * What the audit trail records of a response: `null` for reads and cryptographic operations (as AWS), the
 * allow-listed members otherwise (CreateKey's `keyMetadata`, CreateGrant's `grantId`, ...), plus the key ARN
 * where AWS adds it.
 *
 * @example
 *   toAuditResponse('CreateGrant', { GrantId: 'g1', GrantToken: 'secret' }, { keyArn })
 *   // → { grantId: 'g1', keyId: keyArn }
 */
export function toAuditResponse(operation: string, output: unknown, options: AuditResponseOptions = {}): AuditObject | null {
  const rule = operationRule(operation);
  if (rule === undefined) return null;
  const recorded: AuditObject =
    rule.response !== undefined && isPlainObject(output) ? filterStructure(output, rule.response) : {};
  if (rule.addsKeyArn === true && options.keyArn !== undefined) recorded['keyId'] = options.keyArn;
  return Object.keys(recorded).length === 0 ? null : recorded;
}

function filterStructure(source: Record<string, unknown>, rule: StructureRule): AuditObject {
  const recorded: AuditObject = {};
  for (const [member, fieldRule] of Object.entries(rule)) {
    if (!Object.hasOwn(source, member)) continue;
    const value = filterField(source[member], fieldRule);
    if (value !== undefined) recorded[camelCase(member)] = value;
  }
  return recorded;
}

function filterField(value: unknown, rule: FieldRule): AuditValue | undefined {
  if (rule === 'value') return scalarOrScalarList(value);
  if (rule === 'map') return stringMap(value);
  if (rule === 'date') return logDate(value);
  if (rule === 'tags') return Array.isArray(value) ? value.filter(isPlainObject).map(recordedTag) : undefined;
  if (Array.isArray(value)) {
    return value.filter(isPlainObject).map((element) => filterStructure(element, rule));
  }
  return isPlainObject(value) ? filterStructure(value, rule) : undefined;
}

/** The tag key whose value is key material (LocalStack's convention): never recorded. */
const MATERIAL_TAG_KEY = '_custom_key_material_';
/** What CloudTrail writes in place of a value it does not record. */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

function recordedTag(tag: Record<string, unknown>): AuditObject {
  const recorded = filterStructure(tag, { TagKey: 'value', TagValue: 'value' });
  if (recorded['tagKey'] === MATERIAL_TAG_KEY && recorded['tagValue'] !== undefined) recorded['tagValue'] = HIDDEN;
  return recorded;
}

function scalarOrScalarList(value: unknown): AuditValue | undefined {
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return [...value];
  return undefined;
}

function stringMap(value: unknown): AuditObject | undefined {
  if (!isPlainObject(value)) return undefined;
  const copy: AuditObject = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') copy[key] = entry;
  }
  return copy;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * AWS writes dates inside KMS request and response elements in Java's medium format, in UTC
 * (`"creationDate": "Aug 10, 2022, 10:38:27 PM"`). Accepts epoch seconds (the wire), a Date or an ISO string.
 */
function logDate(value: unknown): string | undefined {
  const ms =
    typeof value === 'number' ? value * 1000
    : value instanceof Date ? value.getTime()
    : typeof value === 'string' ? Date.parse(value)
    : Number.NaN;
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  const hours = date.getUTCHours();
  const twelve = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ` +
    `${twelve}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** `KeyId` → `keyId`; CloudTrail keeps the all-capitals prefix of `AWSAccountId`. */
function camelCase(member: string): string {
  if (member.startsWith('AWS')) return member;
  return member.charAt(0).toLowerCase() + member.slice(1);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Plain JSON objects only: a Buffer, typed array, SecretBytes or class instance is never walked into. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
