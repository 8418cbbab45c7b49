import type { GetKeyRotationStatusCommandOutput } from '@aws-sdk/client-kms';
import { useEffect, useState } from 'preact/hooks';
import { ROTATION_PERIOD_DAYS, saveAutomaticRotation } from '../../api/key-rotation';
import { useConsole } from '../../console-context';
import { Field, formatTime, inputValue } from '../../ui/forms';
import { ActionNotices } from './action-notices';
import { usePanelActions } from './panel-actions';

/**
 * Automatic rotation: on or off, and its period (EnableKeyRotation's RotationPeriodInDays, 90–2560 days, checked by
 * the browser before anything is sent). Saving with rotation on and a new period changes the period.
 */
export function AutomaticRotationForm({ keyId, status, readOnly, onSaved }: {
  keyId: string;
  status: GetKeyRotationStatusCommandOutput;
  readOnly: boolean;
  onSaved: () => void;
}) {
  const { clients } = useConsole();
  const action = usePanelActions();
  const [enabled, setEnabled] = useState(status.KeyRotationEnabled === true);
  const [period, setPeriod] = useState(String(status.RotationPeriodInDays ?? ROTATION_PERIOD_DAYS.default));
  // A reload (after saving, or after Rotate now) shows what the server now says.
  useEffect(() => {
    setEnabled(status.KeyRotationEnabled === true);
    setPeriod(String(status.RotationPeriodInDays ?? ROTATION_PERIOD_DAYS.default));
  }, [status]);

  const save = (event: Event) => {
    event.preventDefault();
    const message = enabled ? `Automatic rotation on: every ${period} days.` : 'Automatic rotation off.';
    void action.run('save', () => saveAutomaticRotation(clients.kms, keyId, enabled, Number(period)), message, onSaved);
  };

  return (
    <form class="rotation-form" onSubmit={save}>
      <p role="status">
        {status.KeyRotationEnabled
          ? `Automatic rotation is on: every ${status.RotationPeriodInDays ?? ROTATION_PERIOD_DAYS.default} days; next rotation ${formatTime(status.NextRotationDate)}.`
          : 'Automatic rotation is off.'}
      </p>
      <fieldset class="inline-fields" disabled={readOnly}>
        <legend class="visually-hidden">Automatic rotation</legend>
        <label class="check">
          <input type="checkbox" name="rotationEnabled" checked={enabled} onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)} />
          Rotate automatically
        </label>
        <Field label="Rotation period (days)" hint={`${ROTATION_PERIOD_DAYS.min} to ${ROTATION_PERIOD_DAYS.max} days.`}>
          <input type="number" name="rotationPeriodInDays" required min={ROTATION_PERIOD_DAYS.min} max={ROTATION_PERIOD_DAYS.max} step={1}
            disabled={!enabled} value={period} onInput={(e) => setPeriod(inputValue(e))} />
        </Field>
        <button type="submit" class="primary" disabled={action.busy !== undefined}>
          Save rotation settings
        </button>
      </fieldset>
      <ActionNotices action={action} />
    </form>
  );
}
