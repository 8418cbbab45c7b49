import { callAdmin } from './admin-client';
import type { Session } from './session';

/** One writer (a serving process) of the trail: its records and how many of them signed digests seal. */
export interface TrailWriter {
  readonly Writer: string;
  readonly Records: number;
  readonly SealedThrough: number;
}

/**
 * Something verification found: `altered`, `removed`, `inserted`, `reordered`, `bad-digest`, or `unsealed-tail`
 * (records no digest seals yet: not tampering, and not failing `Ok`). The detail never holds event content.
 */
export interface TrailProblem {
  readonly Writer: string;
  readonly Seq: number;
  readonly Kind: string;
  readonly Detail: string;
}

/** The admin API's VerifyAuditTrail answer (docs/admin-api.md). */
export interface TrailVerification {
  readonly Ok: boolean;
  readonly Writers: readonly TrailWriter[];
  readonly Problems: readonly TrailProblem[];
}

/**
 * Walks every writer's hash chain and signed digests on the server (the administrator's root only: anyone else
 * gets AccessDeniedException).
 *
 * @example
 *   const { Ok, Problems } = await verifyAuditTrail(session);
 */
export async function verifyAuditTrail(session: Session): Promise<TrailVerification> {
  const answer = await callAdmin<Partial<TrailVerification>>(session, 'VerifyAuditTrail', {});
  return { Ok: answer.Ok === true, Writers: answer.Writers ?? [], Problems: answer.Problems ?? [] };
}
