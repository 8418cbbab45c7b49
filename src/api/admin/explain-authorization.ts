import { isIP } from 'node:net';
import { explainAuthorizationQuestion } from '../../auth/authorization/explain-question.js';
import { accessDeniedMessage, type DecisionEvidence } from '../../auth/policy/index.js';
import { UnsupportedOperationException } from '../../errors.js';
import { AdminInput } from './admin-input.js';
import { publicResult, type AdminOperation } from './admin-operation.js';

const ACTION = { test: /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/, shown: '^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$' } as const;
const IP_ADDRESS = { test: (value: string) => isIP(value) !== 0, phrase: 'an IPv4 or IPv6 address' } as const;
const ARN_MAX_LENGTH = 2048;
/** As `strongroom authz explain`: an imagined request comes from the server's own host unless told otherwise. */
const DEFAULT_SOURCE_IP = '127.0.0.1';

/**
 * `StrongroomAdmin.ExplainAuthorization`: how the server would decide one request, and why — the statements
 * of the key policy and identity policies and the grants that applied. The same evaluation as
 * `strongroom authz explain`; only administrators see it (a denied KMS caller gets AWS's message only).
 *
 * @example
 *   // {"PrincipalArn":"arn:aws:iam::111122223333:user/app","Action":"kms:Decrypt",
 *   //  "KeyId":"arn:aws:kms:us-east-1:111122223333:key/...","EncryptionContext":{"tenant":"a"}}
 *   // → {"Effect":"Allow","Reason":"key-policy","PrincipalArn":"...","Action":"kms:Decrypt","Resource":"arn:...",
 *   //    "Matched":[{"Source":"key-policy","Effect":"Allow","Sid":"AppDecrypts","StatementIndex":1}]}
 */
export const explainAuthorizationOperation: AdminOperation = {
  name: 'ExplainAuthorization',
  readOnly: true,
  async handle(body, { store, explainer }) {
    const input = new AdminInput(body);
    const principalArn = input.string('PrincipalArn', { required: true, maxLength: ARN_MAX_LENGTH });
    const action = input.string('Action', { required: true, maxLength: 128, pattern: ACTION });
    const keyArn = input.string('KeyId', { maxLength: ARN_MAX_LENGTH });
    const sourceIp = input.string('SourceIp', { maxLength: 64, must: IP_ADDRESS });
    const encryptionContext = input.stringMap('EncryptionContext');
    input.check();
    if (explainer === undefined) throw new UnsupportedOperationException('This server was built without a policy authorizer to explain.');
    const { decision, request } = await explainAuthorizationQuestion(store, explainer, {
      principalArn,
      action,
      ...(keyArn === undefined ? {} : { keyArn }),
      ...(encryptionContext === undefined ? {} : { encryptionContext }),
      sourceIp: sourceIp ?? DEFAULT_SOURCE_IP,
    });
    return publicResult({
      Effect: decision.effect,
      Reason: decision.reason,
      PrincipalArn: request.principal.arn,
      Action: request.action,
      Resource: request.resource,
      Matched: decision.matched.map(evidenceOnWire),
      // What the principal itself would be told: AWS's message, which names no statement.
      ...(decision.effect === 'Allow' ? {} : { DeniedMessage: accessDeniedMessage(decision, request) }),
    });
  },
};

function evidenceOnWire(evidence: DecisionEvidence): Record<string, unknown> {
  return {
    Source: evidence.source,
    Effect: evidence.effect,
    ...(evidence.sid === undefined ? {} : { Sid: evidence.sid }),
    ...(evidence.statementIndex === undefined ? {} : { StatementIndex: evidence.statementIndex }),
    ...(evidence.delegatedToAccount === true ? { DelegatedToAccount: true } : {}),
  };
}
