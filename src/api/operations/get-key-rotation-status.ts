import { keyOperation } from '../operation.js';
import { assertRotatable } from '../../service/rotation.js';

/**
 * Whether automatic rotation is on and, when it is, its period and next date. `OnDemandRotationStartDate` is
 * never returned: it names an on-demand rotation still in progress, and RotateKeyOnDemand completes before
 * it answers.
 */
export const GetKeyRotationStatus = keyOperation({
  name: 'GetKeyRotationStatus',
  action: 'kms:GetKeyRotationStatus',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ key }) {
    assertRotatable(key);
    const { rotation } = key;
    if (!rotation.enabled) return { KeyRotationEnabled: false, KeyId: key.arn };
    return {
      KeyRotationEnabled: true,
      KeyId: key.arn,
      RotationPeriodInDays: rotation.periodInDays,
      ...(rotation.nextRotationAt !== undefined ? { NextRotationDate: new Date(rotation.nextRotationAt) } : {}),
    };
  },
});
