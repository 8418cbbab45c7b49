import { useState } from 'preact/hooks';
import { listKeyTags, tagKey, tagProblem, untagKey } from '../../api/key-tags';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { Field, inputValue } from '../../ui/forms';
import { Loading, Panel } from '../../ui/page';
import { ActionNotices } from './action-notices';
import { usePanelActions } from './panel-actions';

/** The key's tags (ListResourceTags): add or replace one (TagResource), remove one (UntagResource). */
export function TagsPanel({ keyId }: { keyId: string }) {
  const { clients } = useConsole();
  const tags = useAsync(() => listKeyTags(clients.kms, keyId), [clients, keyId]);
  const action = usePanelActions();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string>();

  const add = async (event: Event) => {
    event.preventDefault();
    const tag = { TagKey: key.trim(), TagValue: value };
    const found = tagProblem(tag.TagKey, tag.TagValue);
    setProblem(found && `Tag: ${found}`);
    if (found) return;
    const added = await action.run('add', () => tagKey(clients.kms, keyId, tag), `Tag ${tag.TagKey} saved.`, tags.reload);
    if (added) {
      setKey('');
      setValue('');
    }
  };

  return (
    <Panel title="Tags">
      <ErrorNotice error={tags.error} />
      {tags.loading && !tags.data ? <Loading what="tags" /> : null}
      {tags.data?.length === 0 ? <p class="empty">No tags.</p> : null}
      {tags.data?.length ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tags.data.map((tag) => (
                <tr key={tag.TagKey}>
                  <td class="mono">{tag.TagKey}</td>
                  <td class="mono">{tag.TagValue}</td>
                  <td>
                    <button type="button" aria-label={`Remove tag ${tag.TagKey}`} disabled={action.busy !== undefined}
                      onClick={() => void action.run('remove', () => untagKey(clients.kms, keyId, tag.TagKey!), `Tag ${tag.TagKey} removed.`, tags.reload)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form class="key-inline-form" onSubmit={add}>
        <Field label="Tag key">
          <input name="tagKey" required maxLength={128} spellcheck={false} value={key} onInput={(e) => setKey(inputValue(e))} />
        </Field>
        <Field label="Tag value">
          <input name="tagValue" maxLength={256} spellcheck={false} value={value} onInput={(e) => setValue(inputValue(e))} />
        </Field>
        <button type="submit" disabled={action.busy !== undefined}>
          Add tag
        </button>
      </form>
      <p class="field-hint">Adding a tag whose key the key already has replaces its value.</p>
      {problem ? <p class="notice error" role="alert">{problem}</p> : <ActionNotices action={action} />}
    </Panel>
  );
}
