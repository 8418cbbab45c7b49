import { useEffect, useRef, useState } from 'preact/hooks';
import { putInlinePolicy, type PolicyHolder } from '../../api/iam-inline-policies';
import { identityPolicyTemplate } from '../../api/iam-policy-document';
import { useConsole } from '../../console-context';
import { ErrorNotice } from '../../ui/errors';
import { Field, inputValue } from '../../ui/forms';
import { useAction } from '../../ui/use-action';
import { PolicyEditor, policyEditorProblem } from './policy-editor';

/** A policy being written: a new one (`existing` false, its name still to choose) or an existing one to replace. */
export interface PolicyDraft {
  readonly policyName: string;
  readonly document: string;
  readonly existing: boolean;
}

/**
 * Writes an inline policy (PutUserPolicy / PutRolePolicy: creates or replaces). The document is checked as it is
 * typed; what the server refuses (MalformedPolicyDocument, a policy too large...) is shown as it answered.
 */
export function InlinePolicyForm({ holder, draft, onSaved, onCancel }: {
  holder: PolicyHolder;
  draft: PolicyDraft;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { session, clients } = useConsole();
  const [policyName, setPolicyName] = useState(draft.policyName);
  const [document, setDocument] = useState(() => draft.document || identityPolicyTemplate(session.accountId, session.region));
  const save = useAction(async () => {
    const problem = policyEditorProblem(document, 'identity');
    if (problem) throw new Error(problem);
    await putInlinePolicy(clients.iam, holder, policyName.trim(), document);
    onSaved();
  });
  const editorId = `${holder.kind}-policy-document`;
  const form = useRef<HTMLFormElement>(null);
  // Where the user types first: the name of a new policy, the document of an existing one.
  useEffect(() => form.current?.querySelector<HTMLElement>(draft.existing ? 'textarea' : 'input')?.focus(), [draft.existing]);
  return (
    <form ref={form} class="subsection policy-form" aria-label={draft.existing ? `Edit policy ${draft.policyName}` : 'New inline policy'}
      onSubmit={(event) => { event.preventDefault(); void save.run(); }}>
      <Field label="Policy name">
        <input name="policyName" required maxLength={128} spellcheck={false} autoComplete="off" readOnly={draft.existing}
          value={policyName} onInput={(event) => setPolicyName(inputValue(event))} />
      </Field>
      <PolicyEditor id={editorId} label="Policy document" kind="identity" value={document} onChange={setDocument} />
      <ErrorNotice error={save.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy}>
          Save policy
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
