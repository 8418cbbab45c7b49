import { isObject } from './condition.js';
import { PolicyDocumentError } from './policy-document-error.js';
import type { RequestPrincipal } from './request-context.js';

/**
 * The Principal / NotPrincipal element of key and trust policies, compiled to sets.
 * `"*"` and `{"AWS": "*"}` name everyone; an account id or `arn:aws:iam::<acct>:root` names the account
 * (which, in a key policy, delegates the decision to that account's identity policies); user, role and
 * assumed-role session ARNs name one principal — a role ARN also matches every session of the role.
 */
export interface CompiledPrincipals {
  readonly everyone: boolean;
  /** Accounts named by id or root ARN. */
  readonly accounts: ReadonlySet<string>;
  /** Exact user, role and session ARNs. */
  readonly arns: ReadonlySet<string>;
  /** Service and federated principals: valid, but never a Strongroom caller. */
  readonly others: readonly string[];
}

/** How a statement's principal list matched a caller. */
export type PrincipalMatch = 'none' | 'direct' | 'account';

/** Called for IAM user and role ARNs named in a key policy; AWS refuses principals that do not exist. */
export type PrincipalExists = (arn: string) => boolean;

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const IAM_ENTITY_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]+$/;
const SESSION_ARN = /^arn:aws[a-z-]*:sts::\d{12}:(assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)$/;
const SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

const INVALID_PRINCIPALS = 'Policy contains a statement with one or more invalid principals.';

/** Compiles a Principal element; throws PolicyDocumentError('invalid-principal') as AWS KMS does. */
export function compilePrincipals(element: unknown, principalExists: PrincipalExists | undefined): CompiledPrincipals {
  if (element === '*') return { everyone: true, accounts: new Set(), arns: new Set(), others: [] };
  if (!isObject(element)) throw invalid();
  let everyone = false;
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const others: string[] = [];
  for (const [type, raw] of Object.entries(element)) {
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) throw invalid();
    for (const value of values) {
      if (typeof value !== 'string') throw invalid();
      if (type === 'AWS') {
        everyone ||= addAwsPrincipal(value, accounts, arns, principalExists);
      } else if (type === 'Service' && SERVICE.test(value)) {
        others.push(`service:${value}`);
      } else if (type === 'Federated' && value.length > 0 && !value.includes('*')) {
        others.push(`federated:${value}`);
      } else {
        throw invalid();
      }
    }
  }
  return { everyone, accounts, arns, others };
}

function addAwsPrincipal(
  value: string,
  accounts: Set<string>,
  arns: Set<string>,
  principalExists: PrincipalExists | undefined,
): boolean {
  if (value === '*') return true;
  if (ACCOUNT_ID.test(value)) {
    accounts.add(value);
    return false;
  }
  const root = ROOT_ARN.exec(value);
  if (root?.[1] !== undefined) {
    accounts.add(root[1]);
    return false;
  }
  if (IAM_ENTITY_ARN.test(value)) {
    if (principalExists !== undefined && !principalExists(value)) throw invalid();
    arns.add(value);
    return false;
  }
  // Sessions are ephemeral: AWS accepts their ARNs without an existence check.
  if (SESSION_ARN.test(value)) {
    arns.add(value);
    return false;
  }
  throw invalid();
}

/** Whether (and how) a compiled principal list names the caller. */
export function matchPrincipal(principals: CompiledPrincipals, caller: RequestPrincipal): PrincipalMatch {
  if (principals.everyone) return 'direct';
  if (principals.arns.has(caller.arn)) return 'direct';
  if (caller.roleArn !== undefined && principals.arns.has(caller.roleArn)) return 'direct';
  if (principals.accounts.has(caller.accountId)) return caller.type === 'Root' ? 'direct' : 'account';
  return 'none';
}

function invalid(): PolicyDocumentError {
  return new PolicyDocumentError('invalid-principal', INVALID_PRINCIPALS);
}
