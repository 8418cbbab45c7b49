import { useEffect, useState } from 'preact/hooks';
import { loadKeyPolicy, policyProblem, saveKeyPolicy } from '../../api/key-policy';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { Field, inputValue } from '../../ui/forms';
import { Loading, Panel } from '../../ui/page';
import { ActionNotices } from './action-notices';
import { usePanelActions } from './panel-actions';

/**
 * The key policy in an editor: checked as JSON while it is typed (Save waits for a well-formed document), saved
 * with PutKeyPolicy, and the server's refusal (a malformed document, the lockout check) shown under it.
 * (The panel is titled "Policy" so that "Key policy" names the editor alone.)
 */
export function PolicyPanel({ keyId }: { keyId: string }) {
  const { clients } = useConsole();
  const stored = useAsync(() => loadKeyPolicy(clients.kms, keyId), [clients, keyId]);
  const action = usePanelActions();
  const [text, setText] = useState<string>();
  useEffect(() => {
    if (stored.data !== undefined) setText(stored.data);
  }, [stored.data]);

  if (stored.error !== undefined && stored.data === undefined) {
    return <Panel title="Policy"><ErrorNotice error={stored.error} /></Panel>;
  }
  if (text === undefined) return <Panel title="Policy"><Loading what="the key policy" /></Panel>;

  const problem = policyProblem(text);
  const changed = text !== stored.data;
  const save = (event: Event) => {
    event.preventDefault();
    if (problem) return;
    void action.run('save', () => saveKeyPolicy(clients.kms, keyId, text), 'Key policy saved.', stored.reload);
  };

  return (
    <Panel title="Policy">
      <form onSubmit={save}>
        <Field label="Key policy" hint="A JSON policy document. The server refuses one that would stop you from changing it again.">
          <textarea class="code" name="keyPolicy" spellcheck={false} value={text} onInput={(e) => setText(inputValue(e))}
            aria-invalid={problem ? 'true' : 'false'} aria-describedby={problem ? 'key-policy-problem' : undefined} />
        </Field>
        {problem ? <p id="key-policy-problem" class="key-field-problem">{problem}</p> : null}
        <ActionNotices action={action} />
        <div class="actions">
          <button type="submit" class="primary" disabled={problem !== undefined || action.busy !== undefined}>
            {action.busy === 'save' ? 'Saving key policy…' : 'Save key policy'}
          </button>
          <button type="button" disabled={!changed || action.busy !== undefined} onClick={() => setText(stored.data)}>
            Discard changes
          </button>
        </div>
      </form>
    </Panel>
  );
}
