import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { callAdmin } from '../../api/admin-client';
import type { Session } from '../../api/session';

/** The question: would this principal be allowed this action, on this key, with this context, from this address? */
export interface AuthorizationQuestion {
  readonly principalArn: string;
  readonly action: string;
  /** A key ARN; absent for actions on no key (kms:CreateKey, kms:ListKeys). */
  readonly keyArn?: string;
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /** The server assumes 127.0.0.1 when absent. */
  readonly sourceIp?: string;
}

/** A statement or grant that applied (`Source`: `key-policy`, `identity-policy:<name>` or `grant:<id>`). */
export interface MatchedStatement {
  readonly Source: string;
  readonly Effect: string;
  readonly Sid?: string;
  readonly StatementIndex?: number;
  readonly DelegatedToAccount?: boolean;
}

/** The admin API's ExplainAuthorization answer (docs/admin-api.md). */
export interface AuthorizationExplanation {
  readonly Effect: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** The layer that decided: `key-policy`, `identity-policy`, `grant` or `root-identity`. */
  readonly Reason: string;
  readonly PrincipalArn: string;
  readonly Action: string;
  readonly Resource?: string;
  readonly Matched: readonly MatchedStatement[];
  /** What the principal itself would be told, when denied: AWS's message, which names no statement. */
  readonly DeniedMessage?: string;
}

/**
 * Asks the server how it would decide a request, and why (the administrator's root only; anyone else gets
 * AccessDeniedException).
 *
 * @example
 *   await explainAuthorization(session, { principalArn: 'arn:aws:iam::111122223333:user/app', action: 'kms:Decrypt', keyArn });
 */
export async function explainAuthorization(session: Session, question: AuthorizationQuestion): Promise<AuthorizationExplanation> {
  const { principalArn, action, keyArn, encryptionContext, sourceIp } = question;
  const answer = await callAdmin<AuthorizationExplanation>(session, 'ExplainAuthorization', {
    PrincipalArn: principalArn,
    Action: action,
    ...(keyArn ? { KeyId: keyArn } : {}),
    ...(encryptionContext && Object.keys(encryptionContext).length > 0 ? { EncryptionContext: encryptionContext } : {}),
    ...(sourceIp ? { SourceIp: sourceIp } : {}),
  });
  return { ...answer, Matched: answer.Matched ?? [] };
}

/**
 * The ARN the explain API needs for a key as typed: an ARN as it is, a key id or alias of the session's account
 * looked up with DescribeKey (a NotFoundException tells the user it is not there).
 */
export async function keyArnOf(kms: KMSClient, typed: string): Promise<string | undefined> {
  const text = typed.trim();
  if (!text) return undefined;
  if (text.startsWith('arn:') && !text.includes(':alias/')) return text;
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: text }));
  if (!KeyMetadata?.Arn) throw new Error(`DescribeKey returned no ARN for ${text}`);
  return KeyMetadata.Arn;
}
