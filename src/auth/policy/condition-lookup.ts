import type { ConditionValue, RequestContext } from './request-context.js';

/** The aws:PrincipalType values AWS reports for each kind of caller. */
const PRINCIPAL_TYPE = { Root: 'Account', IAMUser: 'User', AssumedRole: 'AssumedRole' } as const;

/**
 * Case-insensitive access to a request's condition keys (AWS treats condition key names, including the
 * `<key>` part of kms:EncryptionContext:<key> and aws:PrincipalTag/<key>, case-insensitively).
 * Built lazily: a policy without conditions or variables (the default key policy) never pays for it.
 */
export class ConditionLookup {
  private values: Map<string, ConditionValue> | undefined;

  constructor(private readonly request: RequestContext) {}

  /** The value of a condition key, or undefined when the request does not carry it. */
  get(key: string): ConditionValue {
    this.values ??= buildValues(this.request);
    return this.values.get(key.toLowerCase());
  }

  /** The values of a key as strings (numbers and booleans as AWS renders them); empty when absent. */
  strings(key: string): readonly string[] {
    return toStrings(this.get(key));
  }
}

/** Renders a condition value as the strings condition operators compare. */
export function toStrings(value: ConditionValue): readonly string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return value;
}

function buildValues(request: RequestContext): Map<string, ConditionValue> {
  const values = new Map<string, ConditionValue>();
  const { principal } = request;
  // Derived first, so the caller's explicit values (set below) win.
  values.set('aws:principalarn', principal.roleArn ?? principal.arn);
  values.set('aws:principalaccount', principal.accountId);
  values.set('aws:principaltype', PRINCIPAL_TYPE[principal.type]);
  values.set('aws:userid', principal.userId);
  if (principal.username !== undefined) values.set('aws:username', principal.username);
  for (const [tagKey, tagValue] of Object.entries(principal.tags ?? {})) {
    values.set(`aws:principaltag/${tagKey.toLowerCase()}`, tagValue);
  }
  for (const [key, value] of Object.entries(request.conditions)) {
    if (value !== undefined) values.set(key.toLowerCase(), value);
  }
  return values;
}
