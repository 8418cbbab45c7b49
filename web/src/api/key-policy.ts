import { GetKeyPolicyCommand, PutKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';

/** A key has one policy, named `default` (the only name GetKeyPolicy and PutKeyPolicy accept). */
const POLICY_NAME = 'default';

/** AWS's limit on a key policy document: 32 KB. */
export const MAX_POLICY_BYTES = 32_768;

/**
 * What makes a policy document unsendable, in words, or undefined when it is well-formed JSON: the editor says it as
 * the user types, and the server judges the rest (statements, principals, the lockout check).
 *
 * @example policyProblem('{"Version": "2012-10-17",}'); // 'Not valid JSON: …'
 */
export function policyProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Enter a policy document.';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'A policy document is a JSON object ({ … }).';
  if (new TextEncoder().encode(text).length > MAX_POLICY_BYTES) return `A key policy is at most ${MAX_POLICY_BYTES} bytes.`;
  return undefined;
}

/** The key's policy, indented for reading when it is JSON (as every policy the server stores is). */
export async function loadKeyPolicy(kms: KMSClient, keyId: string): Promise<string> {
  const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: POLICY_NAME }));
  const policy = Policy ?? '';
  try {
    return JSON.stringify(JSON.parse(policy), null, 2);
  } catch {
    return policy;
  }
}

/**
 * Replaces the key's policy. The server refuses a document that would lock the caller out of the key
 * (MalformedPolicyDocumentException: "The new key policy will not allow you to update the key policy in the
 * future."); the console never sets BypassPolicyLockoutSafetyCheck.
 */
export async function saveKeyPolicy(kms: KMSClient, keyId: string, policy: string): Promise<void> {
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: POLICY_NAME, Policy: policy }));
}
