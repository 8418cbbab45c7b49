import { UnsupportedOperationException } from '../../errors.js';
import type { KeyLastUsageTrackingOperation } from '../generated/kms-shapes.js';
import { keyOperation } from '../operation.js';

/**
 * The key's last successful cryptographic operation, read from the audit trail. `TrackingStartDate` is the
 * later of the key's creation and the start of the retained trail (retention moves it forward); with an
 * empty trail tracking starts now. A server running without its audit trail (`--no-audit`) cannot answer.
 * Alias names are refused, as AWS refuses them.
 */
export const GetKeyLastUsage = keyOperation({
  name: 'GetKeyLastUsage',
  action: 'kms:GetKeyLastUsage',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ key }, deps) {
    const tracker = deps.keyUsage;
    if (!tracker) throw new UnsupportedOperationException('GetKeyLastUsage needs the audit trail, which is off on this server.');
    const { arn, id, createdAt } = key;
    const [recorded, trailStart] = await Promise.all([tracker.lastUsage(arn), tracker.trackingStart()]);
    // A use before the key was created was of an earlier key with this ARN (deleted, or a development reset).
    // Records keep whole seconds (CloudTrail's eventTime), so the creation time is compared at that precision.
    const createdSecond = Math.floor(createdAt / 1000) * 1000;
    const usage = recorded !== undefined && recorded.timestamp >= createdSecond ? recorded : undefined;
    return {
      KeyId: id,
      ...(usage
        ? {
            KeyLastUsage: {
              Operation: usage.operation as KeyLastUsageTrackingOperation,
              Timestamp: new Date(usage.timestamp),
              CloudTrailEventId: usage.cloudTrailEventId,
              ...(usage.kmsRequestId !== undefined ? { KmsRequestId: usage.kmsRequestId } : {}),
            },
          }
        : {}),
      TrackingStartDate: new Date(Math.max(createdAt, trailStart ?? deps.now())),
      KeyCreationDate: new Date(createdAt),
    };
  },
});
