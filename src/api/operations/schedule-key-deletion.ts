import { keyOperation } from '../operation.js';
import { scheduleKeyDeletion } from '../../service/deletion.js';

/**
 * Schedules a key's deletion after a waiting period of 7–30 days (default 30; the bounds are checked by the
 * generated validation, which carries the live service's limits rather than the model's 1–365).
 */
export const ScheduleKeyDeletion = keyOperation({
  name: 'ScheduleKeyDeletion',
  action: 'kms:ScheduleKeyDeletion',
  readOnly: false,
  // AWS judges kms:ScheduleKeyDeletionPendingWindowInDays by the window the key will have: 30 days by default.
  terms: (input) => ({ pendingWindowInDays: input.PendingWindowInDays ?? 30 }),
  // 'manage' refuses a key already pending deletion with AWS's "<arn> is pending deletion."
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'manage' },
  async handle({ input, key }, deps) {
    const scheduled = await scheduleKeyDeletion(deps, key, input.PendingWindowInDays);
    return {
      KeyId: scheduled.arn,
      KeyState: scheduled.state,
      ...(scheduled.deletionAt !== undefined ? { DeletionDate: new Date(scheduled.deletionAt) } : {}),
      ...(scheduled.pendingWindowInDays !== undefined ? { PendingWindowInDays: scheduled.pendingWindowInDays } : {}),
    };
  },
});
