import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Caller } from '../auth/caller.js';
import { accessDeniedMessage, type DecisionEvidence } from '../auth/policy/index.js';
import { PolicyAuthorizer, type ExplainedDecision } from '../auth/policy-authorizer.js';
import type { KmsKey } from '../keys/key.js';
import type { Store } from '../store/store.js';
import { openDataDirectory, withErrorCode } from './data-directory-session.js';

export const AUTHZ_USAGE = `  authz explain     Explain an authorization decision (for administrators; callers never see this).
          --data-dir DIR                data directory (default ./data; STRONGROOM_DATA_DIR)
          --principal ARN               root, user, role (as a session of it) or assumed-role session ARN
          --action ACTION               e.g. kms:Decrypt
          --key ARN                     the key ARN (omit for actions on no key, e.g. kms:CreateKey)
          --encryption-context K=V      repeatable
          --source-ip IP                aws:SourceIp (default 127.0.0.1)
          Exit status: 0 when allowed, 3 when denied.
`;

const ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const USER = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const ROLE = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const SESSION = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const EXPLAIN_SESSION = 'strongroom-authz-explain';

/**
 * `strongroom authz explain`: evaluates one request exactly as the server would (same authorizer, same
 * policies, grants and condition keys) and prints which statements or grants allowed or denied it.
 */
export async function runAuthzCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'explain') throw new Error(`usage:\n${AUTHZ_USAGE}`);
  const { values } = parseArgs({
    args: [...rest],
    options: {
      'data-dir': { type: 'string' },
      principal: { type: 'string' },
      action: { type: 'string' },
      key: { type: 'string' },
      'encryption-context': { type: 'string', multiple: true },
      'source-ip': { type: 'string' },
    },
    strict: true,
  });
  const principal = required(values.principal, '--principal');
  const action = required(values.action, '--action');
  const session = await openDataDirectory(resolve(values['data-dir'] ?? process.env['STRONGROOM_DATA_DIR'] ?? 'data'));
  try {
    const caller = await callerOf(session.store, principal);
    const key = values.key === undefined ? undefined : await keyOf(session.store, values.key);
    const encryptionContext = parseContext(values['encryption-context'] ?? []);
    const authorizer = new PolicyAuthorizer({ store: session.store, now: Date.now });
    const explained = await authorizer.explain({
      caller,
      action,
      ...(key === undefined ? {} : { key }),
      input: { ...(key === undefined ? {} : { KeyId: key.arn }), ...(encryptionContext === undefined ? {} : { EncryptionContext: encryptionContext }) },
      sourceIp: values['source-ip'] ?? '127.0.0.1',
      secureTransport: true,
    });
    print(formatExplanation(explained));
    return explained.decision.effect === 'Allow' ? 0 : 3;
  } catch (error) {
    throw withErrorCode(error);
  } finally {
    await session.close();
  }
}

/** The explanation as the CLI prints it. */
export function formatExplanation({ decision, request }: ExplainedDecision): string {
  const lines = [
    `${decision.effect}: ${request.principal.arn} → ${request.action} on ${request.resource}`,
    `Decided by: ${decision.reason}`,
  ];
  if (decision.effect !== 'Allow') lines.push(`The caller sees: AccessDeniedException: ${accessDeniedMessage(decision, request)}`);
  lines.push(decision.matched.length === 0 ? 'No statement or grant applied.' : 'Statements and grants that applied:');
  for (const evidence of decision.matched) lines.push(`  ${describeEvidence(evidence)}`);
  return `${lines.join('\n')}\n`;
}

function describeEvidence(evidence: DecisionEvidence): string {
  const where = evidence.statementIndex === undefined ? evidence.source : `${evidence.source} statement #${evidence.statementIndex}`;
  const sid = evidence.sid === undefined ? '' : ` (Sid "${evidence.sid}")`;
  const delegation = evidence.delegatedToAccount === true ? ' — names the account: delegates to identity policies' : '';
  return `${where}${sid}: ${evidence.effect}${delegation}`;
}

async function callerOf(store: Store, arn: string): Promise<Caller> {
  const base = { arn, accessKeyId: 'CLI-EXPLAIN' };
  const root = ROOT.exec(arn);
  if (root?.[1] !== undefined) return { ...base, accountId: root[1], principalId: root[1], type: 'Root' };
  const user = USER.exec(arn);
  if (user?.[1] !== undefined && user[2] !== undefined) {
    const found = await store.identities.getUser(user[1], user[2]);
    if (found === undefined || found.arn !== arn) throw new Error(`no such IAM user: ${arn}`);
    return { ...base, accountId: found.accountId, principalId: found.userId, type: 'IAMUser', userName: found.userName };
  }
  const role = ROLE.exec(arn) ?? SESSION.exec(arn);
  if (role?.[1] !== undefined && role[2] !== undefined) {
    const found = await store.identities.getRole(role[1], role[2]);
    if (found === undefined) throw new Error(`no such IAM role: ${role[2]} in account ${role[1]}`);
    const sessionName = role[3] ?? EXPLAIN_SESSION;
    return {
      accessKeyId: base.accessKeyId,
      arn: `arn:aws:sts::${found.accountId}:assumed-role/${found.roleName}/${sessionName}`,
      accountId: found.accountId,
      principalId: `${found.roleId}:${sessionName}`,
      type: 'AssumedRole',
    };
  }
  throw new Error(`not a principal ARN this server knows: ${arn}`);
}

async function keyOf(store: Store, arn: string): Promise<KmsKey> {
  const match = KEY_ARN.exec(arn);
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) throw new Error(`--key must be a key ARN: ${arn}`);
  const key = await store.keys.get({ region: match[1], accountId: match[2] }, match[3]);
  if (key === undefined) throw new Error(`no such key: ${arn}`);
  return key;
}

function parseContext(pairs: readonly string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const context: Record<string, string> = {};
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator < 1) throw new Error(`--encryption-context takes KEY=VALUE, got: ${pair}`);
    context[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return context;
}

function required(value: string | undefined, option: string): string {
  if (value === undefined) throw new Error(`${option} is required\n${AUTHZ_USAGE}`);
  return value;
}
