import { policyDocumentProblem, type IamPolicyKind } from '../../api/iam-policy-document';
import { inputValue } from '../../ui/forms';

/**
 * A policy document in a JSON textarea, checked as it is typed (valid JSON and the statements' shape, see
 * policyDocumentProblem); "Format JSON" re-indents it. The server checks it again when it is saved and its
 * refusal is shown by the form that saves.
 */
export function PolicyEditor({ id, label, kind, value, onChange }: {
  /** Unique on the page: ties the label and the problem to the textarea. */
  id: string;
  label: string;
  kind: IamPolicyKind;
  value: string;
  onChange: (value: string) => void;
}) {
  const problem = policyEditorProblem(value, kind);
  const formatted = indented(value);
  return (
    <div class="field policy-editor">
      <div class="policy-editor-header">
        <label class="field-label" for={id}>
          {label}
        </label>
        <button type="button" class="small" onClick={() => formatted !== undefined && onChange(formatted)} disabled={formatted === undefined}>
          Format JSON
        </button>
      </div>
      <textarea
        id={id}
        class="code"
        spellcheck={false}
        value={value}
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-check`}
        onInput={(event) => onChange(inputValue(event))}
      />
      <span id={`${id}-check`} class={problem ? 'field-problem' : 'field-hint'} aria-live="polite">
        {problem ?? 'Valid JSON; the server checks the policy again when it is saved.'}
      </span>
    </div>
  );
}

/** The problem that keeps a document from being sent, if any (the editor shows the same words). */
export function policyEditorProblem(value: string, kind: IamPolicyKind): string | undefined {
  return value.trim() === '' ? 'The policy document is empty.' : policyDocumentProblem(value, kind);
}

function indented(value: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return undefined; // not JSON: the editor says why
  }
}
