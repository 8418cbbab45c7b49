import { parseArgs } from 'node:util';
import { explainAuthorizationQuestion } from '../auth/authorization/explain-question.js';
import { accessDeniedMessage, type DecisionEvidence } from '../auth/policy/index.js';
import { PolicyAuthorizer, type ExplainedDecision } from '../auth/authorization/policy-authorizer.js';
import { openStorageSession, STORAGE_OPTIONS, STORAGE_USAGE, withErrorCode } from './storage-session.js';

export const AUTHZ_USAGE = `  authz explain     Explain an authorization decision (for administrators; callers never see this).
${STORAGE_USAGE}          --principal ARN               root, user, role (as a session of it) or assumed-role session ARN
          --action ACTION               e.g. kms:Decrypt
          --key ARN                     the key ARN (omit for actions on no key, e.g. kms:CreateKey)
          --encryption-context K=V      repeatable
          --source-ip IP                aws:SourceIp (default 127.0.0.1)
          Exit status: 0 when allowed, 3 when denied.
`;

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
      ...STORAGE_OPTIONS,
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
  const session = await openStorageSession(values);
  try {
    const authorizer = new PolicyAuthorizer({ store: session.store, now: Date.now });
    const encryptionContext = parseContext(values['encryption-context'] ?? []);
    const explained = await explainAuthorizationQuestion(session.store, authorizer, {
      principalArn: principal,
      action,
      ...(values.key === undefined ? {} : { keyArn: values.key }),
      ...(encryptionContext === undefined ? {} : { encryptionContext }),
      sourceIp: values['source-ip'] ?? '127.0.0.1',
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
