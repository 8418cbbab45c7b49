import { useRef } from 'preact/hooks';
import type { TagDraft } from '../../api/key-tags';
import { Field, inputValue } from '../../ui/forms';

/**
 * The new key's tags: a row per tag, added and removed with buttons. Each control's label names its row ("Tag 2
 * key"), so a screen reader and a test can tell the rows apart.
 */
export function TagRows({ tags, onChange }: { tags: readonly TagDraft[]; onChange: (tags: TagDraft[]) => void }) {
  const addButton = useRef<HTMLButtonElement>(null);
  /** The removed row's button goes with it: focus moves to "Add tag" rather than falling back to the page. */
  const remove = (index: number) => {
    onChange(tags.filter((_, at) => at !== index));
    addButton.current?.focus();
  };
  const change = (index: number, part: Partial<TagDraft>) =>
    onChange(tags.map((tag, at) => (at === index ? { ...tag, ...part } : tag)));
  return (
    <fieldset class="choices tag-rows">
      <legend>Tags</legend>
      {tags.length === 0 ? <p class="field-hint">No tags. Tags label keys for people, for cost reports and for policies (aws:ResourceTag).</p> : null}
      {tags.map((tag, index) => (
        <div class="tag-row" key={index}>
          <Field label={`Tag ${index + 1} key`}>
            <input name={`tagKey${index}`} maxLength={128} spellcheck={false} value={tag.key} onInput={(e) => change(index, { key: inputValue(e) })} />
          </Field>
          <Field label={`Tag ${index + 1} value`}>
            <input name={`tagValue${index}`} maxLength={256} spellcheck={false} value={tag.value} onInput={(e) => change(index, { value: inputValue(e) })} />
          </Field>
          <button type="button" onClick={() => remove(index)}>
            Remove tag {index + 1}
          </button>
        </div>
      ))}
      <button type="button" ref={addButton} onClick={() => onChange([...tags, { key: '', value: '' }])}>
        Add tag
      </button>
    </fieldset>
  );
}
