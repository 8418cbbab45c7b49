import type { OutcomeSink, RequestOutcome } from '../../api/outcome.js';
import { apiCallEvent, newEventId as timeOrderedEventId, type AuditLog, type CloudTrailEvent } from '../../audit/index.js';
import { UNAUTHENTICATED_IDENTITY, userIdentityOf } from './user-identity.js';

/** What the sink needs besides the audit log itself. */
export interface AuditOutcomeSinkOptions {
  readonly log: Pick<AuditLog, 'append'>;
  /** The region recorded for requests whose credential scope was never read (unauthenticated ones). */
  readonly defaultRegion: string;
  readonly newEventId?: () => string;
  /** When an assumed role's temporary credentials were issued (for `sessionContext`); undefined if unknown. */
  readonly sessionCreatedAt?: (accessKeyId: string) => Promise<number | undefined>;
}

/** The services whose requests are recorded: the KMS API, and the XKS proxy API (`kms-xks-proxy`, docs/xks-proxy.md). */
const AUDITED_SERVICES: ReadonlySet<string> = new Set(['kms', 'kms-xks-proxy']);

/**
 * The audit trail as the API's outcome sink: every KMS request's outcome becomes one `AwsApiCall` record,
 * appended with group commit; `record` resolves only when the record is fsynced, and rejects when it could
 * not be written — the App then answers with an internal error, never with success.
 *
 * Only KMS requests, and the XKS proxy calls that act on KMS keys, are recorded: the event shape names
 * `kms.amazonaws.com` as its source, and recording STS, IAM or CloudTrail calls under it would misstate them (see the
 * README's "Audit trail").
 *
 * @example
 *   const outcomes = createAuditOutcomeSink({ log: auditLog, defaultRegion: 'us-east-1' });
 *   new App({ ..., outcomes });
 */
export function createAuditOutcomeSink(options: AuditOutcomeSinkOptions): OutcomeSink {
  const newEventId = options.newEventId ?? timeOrderedEventId;
  return {
    record(outcome) {
      if (!AUDITED_SERVICES.has(outcome.service)) return Promise.resolve();
      const append = async (sessionCreatedAt?: number) => {
        await Promise.all(
          recordedOperations(outcome).map((recorded) =>
            options.log.append(apiCallEventOf(recorded, options.defaultRegion, newEventId(), sessionCreatedAt)),
          ),
        );
      };
      // Only an assumed role's record needs a lookup first; every other record is built and queued at once.
      if (outcome.caller?.type !== 'AssumedRole' || options.sessionCreatedAt === undefined) return append();
      return options.sessionCreatedAt(outcome.caller.accessKeyId).then(append);
    },
  };
}

/**
 * The CloudTrail record of one request's outcome. The wire input and output go through the audit library's
 * allow-list (`toAuditParameters` / `toAuditResponse`): plaintext, ciphertext, data keys, signatures and MACs
 * never reach the record. The event goes to the key owner's account (the first key's), else the caller's.
 */
export function apiCallEventOf(
  outcome: RequestOutcome,
  defaultRegion: string,
  eventId: string,
  sessionCreatedAt?: number,
): CloudTrailEvent {
  const caller = outcome.caller;
  const keyArns = [...outcome.resources, ...createdKeyArn(outcome)];
  const keyOwner = keyArns[0]?.split(':')[4];
  return apiCallEvent({
    operation: outcome.operation,
    readOnly: outcome.readOnly,
    identity: caller ? userIdentityOf(caller, sessionCreatedAt) : UNAUTHENTICATED_IDENTITY,
    time: outcome.startedAt,
    region: outcome.region ?? defaultRegion,
    sourceIp: outcome.sourceIp,
    userAgent: outcome.userAgent ?? '',
    requestId: outcome.requestId,
    eventId,
    recipientAccountId: keyOwner || caller?.accountId || '',
    ...(outcome.input !== undefined ? { input: outcome.input } : {}),
    ...(outcome.error === undefined
      ? { output: outcome.output }
      : { error: { code: outcome.error.type, message: outcome.error.message } }),
    ...(keyArns.length > 0 ? { keyArns } : {}),
    ...(outcome.tls
      ? { tls: { tlsVersion: outcome.tls.version, cipherSuite: outcome.tls.cipherSuite, clientProvidedHostHeader: outcome.tls.host } }
      : {}),
  });
}

/**
 * The operations a request is recorded as: itself, and for a successful ReplicateKey also the CreateKey it made in
 * the replica's region ("A ReplicateKey request results in a ReplicateKey operation and a CreateKey operation",
 * AWS's CloudTrail examples), so the replica region's trail shows where its key came from. The CreateKey record
 * carries the same request id, caller and time, the replica's properties as its parameters and the replica's
 * metadata as its response.
 */
function recordedOperations(outcome: RequestOutcome): RequestOutcome[] {
  if (outcome.operation !== 'ReplicateKey' || outcome.error !== undefined) return [outcome];
  const input = (outcome.input ?? {}) as Record<string, unknown>;
  const metadata = (outcome.output as { ReplicaKeyMetadata?: Record<string, unknown> } | undefined)?.ReplicaKeyMetadata;
  const replicaArn = metadata?.['Arn'];
  if (metadata === undefined || typeof replicaArn !== 'string' || typeof input['ReplicaRegion'] !== 'string') return [outcome];
  const created: RequestOutcome = {
    ...outcome,
    operation: 'CreateKey',
    readOnly: false,
    region: input['ReplicaRegion'],
    input: {
      ...(input['Policy'] !== undefined ? { Policy: input['Policy'] } : {}),
      ...(input['BypassPolicyLockoutSafetyCheck'] !== undefined ? { BypassPolicyLockoutSafetyCheck: input['BypassPolicyLockoutSafetyCheck'] } : {}),
      Description: input['Description'] ?? '',
      ...(input['Tags'] !== undefined ? { Tags: input['Tags'] } : {}),
      KeyUsage: metadata['KeyUsage'],
      KeySpec: metadata['KeySpec'],
      Origin: metadata['Origin'],
      MultiRegion: true,
    },
    output: { KeyMetadata: metadata },
    resources: [],
  };
  return [outcome, created];
}

/**
 * CreateKey resolves no key (it makes one), yet AWS's record names the new key among its resources: take the
 * ARN from the successful response.
 */
function createdKeyArn(outcome: RequestOutcome): string[] {
  if (outcome.operation !== 'CreateKey' || outcome.error !== undefined) return [];
  const arn = (outcome.output as { KeyMetadata?: { Arn?: unknown } } | undefined)?.KeyMetadata?.Arn;
  return typeof arn === 'string' ? [arn] : [];
}
