import { useState } from 'preact/hooks';
import { updateTrustPolicy } from '../../api/iam-roles';
import { useConsole } from '../../console-context';
import { ErrorNotice } from '../../ui/errors';
import { useAction } from '../../ui/use-action';
import { PolicyEditor, policyEditorProblem } from './policy-editor';

/**
 * A role's trust policy (who may assume it): shown, and edited in place (UpdateAssumeRolePolicy). The change
 * applies from the next AssumeRole on; sessions already issued keep running until they expire.
 */
export function TrustPolicy({ roleName, trustPolicy, onSaved }: { roleName: string; trustPolicy: string; onSaved: () => void }) {
  const { clients } = useConsole();
  const [draft, setDraft] = useState<string>();
  const save = useAction(async (document: string) => {
    const problem = policyEditorProblem(document, 'trust');
    if (problem) throw new Error(problem);
    await updateTrustPolicy(clients.iam, roleName, document);
    setDraft(undefined);
    onSaved();
  });
  return (
    <section class="subsection" aria-labelledby="trust-policy-title">
      <div class="subsection-header">
        <h3 id="trust-policy-title">Trust policy</h3>
        {draft === undefined ? (
          <button type="button" onClick={() => setDraft(trustPolicy)}>
            Edit trust policy
          </button>
        ) : null}
      </div>
      {draft === undefined ? (
        <pre class="json" tabIndex={0} aria-label={`Trust policy of ${roleName}`}>
          {trustPolicy}
        </pre>
      ) : (
        <form class="policy-form" aria-label={`Edit the trust policy of ${roleName}`}
          onSubmit={(event) => { event.preventDefault(); void save.run(draft); }}>
          <PolicyEditor id="role-trust-policy" label="Trust policy document" kind="trust" value={draft} onChange={setDraft} />
          <p class="hint">Applies from the next AssumeRole on; sessions already issued run until they expire.</p>
          <ErrorNotice error={save.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={save.busy}>
              Save trust policy
            </button>
            <button type="button" onClick={() => setDraft(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
