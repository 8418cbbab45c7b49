import { NotFoundException, ValidationException } from '../../errors.js';
import type { KmsKey } from '../../keys/key.js';
import type { Store } from '../../store/store.js';
import type { AuthorizationRequest } from './authorizer.js';
import type { Caller } from '../caller.js';
import type { ExplainedDecision } from './policy-authorizer.js';

/**
 * An administrator's question: would this principal be allowed this action (on this key), with this
 * encryption context, from this address? Asked through `strongroom authz explain` and the admin API's
 * `ExplainAuthorization`; the answer is never shown to the principal itself.
 */
export interface AuthorizationQuestion {
  /** A root, IAM user, IAM role (asked as a session of it) or assumed-role session ARN. */
  readonly principalArn: string;
  /** The IAM action, e.g. `kms:Decrypt`. */
  readonly action: string;
  /** The key ARN; absent for actions on no key (`kms:CreateKey`, `kms:ListKeys`). */
  readonly keyArn?: string;
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /** The aws:SourceIp of the imagined request. */
  readonly sourceIp: string;
}

/** What answers the question: the server's own authorizer (`PolicyAuthorizer`), without enforcing. */
export interface AuthorizationExplainer {
  explain(request: AuthorizationRequest): Promise<ExplainedDecision>;
}

const ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const USER = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const ROLE = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const SESSION = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
/** The session name a role is asked as when the question names the role rather than one of its sessions. */
const EXPLAIN_SESSION = 'strongroom-authz-explain';
/** Stands in for the access key of the imagined request: explanations never involve a real credential. */
const NO_ACCESS_KEY = 'EXPLAIN';

/**
 * Evaluates one imagined request exactly as the server would (same authorizer, same policies, grants and
 * condition keys) and returns the decision with the statements and grants that applied.
 * Throws ValidationException for an ARN of the wrong form, NotFoundException for an unknown principal or key.
 *
 * @example
 *   const { decision } = await explainAuthorizationQuestion(store, authorizer, {
 *     principalArn: 'arn:aws:iam::111122223333:user/app', action: 'kms:Decrypt',
 *     keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-...', sourceIp: '127.0.0.1',
 *   });
 *   decision.matched; // [{ source: 'key-policy', effect: 'Allow', sid: 'AppDecrypts', statementIndex: 1 }]
 */
export async function explainAuthorizationQuestion(
  store: Store,
  explainer: AuthorizationExplainer,
  question: AuthorizationQuestion,
): Promise<ExplainedDecision> {
  const caller = await callerOf(store, question.principalArn);
  const key = question.keyArn === undefined ? undefined : await keyOf(store, question.keyArn);
  const { encryptionContext } = question;
  return explainer.explain({
    caller,
    action: question.action,
    ...(key === undefined ? {} : { key }),
    terms: encryptionContext === undefined ? {} : { encryptionContext },
    sourceIp: question.sourceIp,
    secureTransport: true,
  });
}

async function callerOf(store: Store, arn: string): Promise<Caller> {
  const base = { arn, accessKeyId: NO_ACCESS_KEY };
  const root = ROOT.exec(arn);
  // Not looked up: the development account's root exists without an account record.
  if (root?.[1] !== undefined) return { ...base, accountId: root[1], principalId: root[1], type: 'Root' };
  const user = USER.exec(arn);
  if (user?.[1] !== undefined && user[2] !== undefined) {
    const found = await store.identities.getUser(user[1], user[2]);
    if (found === undefined || found.arn !== arn) throw new NotFoundException(`No such IAM user: ${arn}`);
    return { ...base, accountId: found.accountId, principalId: found.userId, type: 'IAMUser', userName: found.userName };
  }
  const role = ROLE.exec(arn) ?? SESSION.exec(arn);
  if (role?.[1] !== undefined && role[2] !== undefined) {
    const found = await store.identities.getRole(role[1], role[2]);
    if (found === undefined) throw new NotFoundException(`No such IAM role: ${role[2]} in account ${role[1]}`);
    const sessionName = role[3] ?? EXPLAIN_SESSION;
    return {
      accessKeyId: NO_ACCESS_KEY,
      arn: `arn:aws:sts::${found.accountId}:assumed-role/${found.roleName}/${sessionName}`,
      accountId: found.accountId,
      principalId: `${found.roleId}:${sessionName}`,
      type: 'AssumedRole',
    };
  }
  throw new ValidationException(`Not a principal ARN this server knows: ${arn}`);
}

async function keyOf(store: Store, arn: string): Promise<KmsKey> {
  const match = KEY_ARN.exec(arn);
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) {
    throw new ValidationException(`A key ARN is required (arn:aws:kms:<region>:<account>:key/<id>): ${arn}`);
  }
  const key = await store.keys.get({ region: match[1], accountId: match[2] }, match[3]);
  if (key === undefined) throw new NotFoundException(`Key '${arn}' does not exist`);
  return key;
}
