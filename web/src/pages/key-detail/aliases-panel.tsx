import { useState } from 'preact/hooks';
import { aliasNameOf, aliasNameProblem, createAlias, deleteAlias, listKeyAliases } from '../../api/key-aliases';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { Field, inputValue } from '../../ui/forms';
import { Loading, Panel } from '../../ui/page';
import { ActionNotices } from './action-notices';
import { usePanelActions } from './panel-actions';

/** The key's aliases (ListAliases), a form to add one (CreateAlias) and a button to delete each (DeleteAlias). */
export function AliasesPanel({ keyId }: { keyId: string }) {
  const { clients } = useConsole();
  const aliases = useAsync(() => listKeyAliases(clients.kms, keyId), [clients, keyId]);
  const action = usePanelActions();
  const [typed, setTyped] = useState('');
  const name = aliasNameOf(typed);
  const problem = typed.trim() ? aliasNameProblem(name) : undefined;

  const add = async (event: Event) => {
    event.preventDefault();
    if (!typed.trim() || problem) return;
    const added = await action.run('add', () => createAlias(clients.kms, keyId, name), `Alias ${name} added.`, aliases.reload);
    if (added) setTyped('');
  };

  return (
    <Panel title="Aliases">
      <ErrorNotice error={aliases.error} />
      {aliases.loading && !aliases.data ? <Loading what="aliases" /> : null}
      {aliases.data?.length === 0 ? <p class="empty">No aliases.</p> : null}
      <ul class="item-list">
        {(aliases.data ?? []).map((alias) => (
          <li key={alias.AliasName}>
            <span class="mono">{alias.AliasName}</span>
            <button type="button" aria-label={`Delete ${alias.AliasName}`} disabled={action.busy !== undefined}
              onClick={() => void action.run('delete', () => deleteAlias(clients.kms, alias.AliasName!), `Alias ${alias.AliasName} deleted.`, aliases.reload)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form class="key-inline-form" onSubmit={add}>
        <Field label="New alias" hint="Letters, digits, /, _ and -; not alias/aws/….">
          <span class="with-prefix">
            <span class="prefix mono" aria-hidden="true">alias/</span>
            <input name="aliasName" required spellcheck={false} value={typed} onInput={(e) => setTyped(inputValue(e))}
              aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? 'new-alias-problem' : undefined} />
          </span>
        </Field>
        <button type="submit" disabled={action.busy !== undefined || problem !== undefined}>
          Add alias
        </button>
      </form>
      {problem ? <p id="new-alias-problem" class="key-field-problem">{problem}</p> : null}
      <ActionNotices action={action} />
    </Panel>
  );
}
