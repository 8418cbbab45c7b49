/** An inline identity policy (of a user or role), or a role's trust policy. */
export type IamPolicyKind = 'identity' | 'trust';

/**
 * What is wrong with a policy document before it is sent: valid JSON, an object with statements, each with an
 * Effect, an Action, and — for an identity policy — a Resource and no Principal, for a trust policy a Principal.
 * Only the shape is checked here; the server's parser has the last word, and its refusal is shown as it is.
 * Returns nothing when the document may be sent.
 *
 * @example
 *   policyDocumentProblem('{"Statement":[]}', 'identity'); // 'The policy must contain at least one statement.'
 */
export function policyDocumentProblem(text: string, kind: IamPolicyKind): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return `The policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!isObject(document)) return 'The policy must be a JSON object.';
  const raw = document['Statement'];
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) return 'The policy must contain at least one statement.';
  for (const [index, statement] of statements.entries()) {
    const problem = statementProblem(statement, kind);
    if (problem) return `Statement ${index + 1}: ${problem}`;
  }
  return undefined;
}

function statementProblem(statement: unknown, kind: IamPolicyKind): string | undefined {
  if (!isObject(statement)) return 'must be a JSON object.';
  const has = (name: string) => statement[name] !== undefined || statement[`Not${name}`] !== undefined;
  if (statement['Effect'] !== 'Allow' && statement['Effect'] !== 'Deny') return 'the Effect must be Allow or Deny.';
  if (!has('Action')) return 'it needs an Action or NotAction.';
  if (kind === 'identity') {
    if (has('Principal')) return 'an identity policy names no Principal (it applies to whom it is attached to).';
    if (!has('Resource')) return 'it needs a Resource or NotResource.';
  } else if (!has('Principal')) {
    return 'a trust policy needs a Principal: who may assume the role.';
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A document as IAM returns it (URL-encoded, RFC 3986; the SDK hands it over so) made readable: decoded, and
 * indented when it is JSON.
 */
export function readablePolicyDocument(encoded: string): string {
  let text = encoded;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    // not encoded after all: shown as it came
  }
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A starting point for a new inline policy: use of the account's keys, which the user edits. */
export function identityPolicyTemplate(accountId: string, region: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'UseKeys',
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          Resource: `arn:aws:kms:${region}:${accountId}:key/*`,
        },
      ],
    },
    null,
    2,
  );
}

/** A new role's trust policy: principals of this account whose own policies allow sts:AssumeRole may assume it. */
export function trustPolicyTemplate(accountId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }],
    },
    null,
    2,
  );
}
