import type { GrantOperation, KeyMetadata } from '@aws-sdk/client-kms';
import { useState } from 'preact/hooks';
import { contextConstraintsApply, createGrant, createGrantInput, grantOperationsFor, type ConstraintKind, type GrantDraft } from '../../api/key-grants';
import { useConsole } from '../../console-context';
import { Field, inputValue, Select } from '../../ui/forms';
import { ActionNotices } from './action-notices';
import { usePanelActions } from './panel-actions';

const EMPTY: GrantDraft = { granteePrincipal: '', retiringPrincipal: '', name: '', operations: [], constraintKind: 'none', context: '' };

const CONSTRAINT_CHOICES: readonly (readonly [ConstraintKind, string])[] = [
  ['none', 'No constraint'],
  ['equals', 'Encryption context equals'],
  ['subset', 'Encryption context includes'],
];

/**
 * CreateGrant: who (an account id, or a user's or role's ARN), which operations (only those the key's usage allows),
 * who may retire it, and for symmetric keys an encryption context the requests must carry.
 */
export function GrantForm({ metadata, onCreated }: { metadata: KeyMetadata; onCreated: () => void }) {
  const { clients } = useConsole();
  const action = usePanelActions();
  const [draft, setDraft] = useState<GrantDraft>(EMPTY);
  const [problem, setProblem] = useState<string>();
  const change = (part: Partial<GrantDraft>) => setDraft((previous) => ({ ...previous, ...part }));
  const toggle = (operation: GrantOperation, on: boolean) =>
    change({ operations: on ? [...draft.operations, operation] : draft.operations.filter((chosen) => chosen !== operation) });
  const constraints = contextConstraintsApply(metadata);

  const submit = async (event: Event) => {
    event.preventDefault();
    const request = createGrantInput(metadata.KeyId!, constraints ? draft : { ...draft, constraintKind: 'none' });
    setProblem(request.problem);
    if (request.problem !== undefined) return;
    const created = await action.run('create', () => createGrant(clients.kms, request.input), (grantId) => `Grant created: ${grantId}.`, onCreated);
    if (created) setDraft(EMPTY);
  };

  return (
    <form class="grant-form" onSubmit={submit}>
      <h3>Create a grant</h3>
      <div class="form-grid">
        <Field label="Grantee principal" hint="An account id, or the ARN of an IAM user or role.">
          <input name="granteePrincipal" required spellcheck={false} value={draft.granteePrincipal} onInput={(e) => change({ granteePrincipal: inputValue(e) })} />
        </Field>
        <Field label="Retiring principal (optional)" hint="Who else may retire the grant.">
          <input name="retiringPrincipal" spellcheck={false} value={draft.retiringPrincipal} onInput={(e) => change({ retiringPrincipal: inputValue(e) })} />
        </Field>
        <Field label="Grant name (optional)" hint="A retry with the same name and settings creates no second grant.">
          <input name="grantName" maxLength={256} spellcheck={false} value={draft.name} onInput={(e) => change({ name: inputValue(e) })} />
        </Field>
      </div>
      <fieldset class="choices operations">
        <legend>Operations</legend>
        {grantOperationsFor(metadata).map((operation) => (
          <label key={operation} class="check">
            <input type="checkbox" name="operations" value={operation} checked={draft.operations.includes(operation)}
              onChange={(e) => toggle(operation, (e.target as HTMLInputElement).checked)} />
            {operation}
          </label>
        ))}
      </fieldset>
      {constraints ? (
        <div class="form-grid">
          <Field label="Encryption context constraint">
            <Select name="constraintKind" value={draft.constraintKind} options={CONSTRAINT_CHOICES} onChange={(constraintKind) => change({ constraintKind })} />
          </Field>
          {draft.constraintKind === 'none' ? null : (
            <Field label="Encryption context" hint="One key=value pair a line.">
              <textarea name="encryptionContext" rows={3} spellcheck={false} class="mono" value={draft.context} onInput={(e) => change({ context: inputValue(e) })} />
            </Field>
          )}
        </div>
      ) : null}
      {problem ? <p class="notice error" role="alert">{problem}</p> : null}
      <ActionNotices action={action} />
      <button type="submit" class="primary" disabled={action.busy !== undefined}>
        Create grant
      </button>
    </form>
  );
}
