import { inputValue } from '../../ui/forms';

/** One key/value pair of an encryption context as typed (`id` keeps each row's inputs when others are removed). */
export interface ContextPair {
  readonly id: number;
  readonly key: string;
  readonly value: string;
}

/**
 * An encryption context as rows of key and value, added and removed one at a time. Each input is labelled with
 * its row's number so that every label on the page is unique.
 */
export function EncryptionContextRows({ pairs, onChange }: { pairs: readonly ContextPair[]; onChange: (pairs: readonly ContextPair[]) => void }) {
  const update = (id: number, part: Partial<ContextPair>) => onChange(pairs.map((pair) => (pair.id === id ? { ...pair, ...part } : pair)));
  const add = () => onChange([...pairs, { id: Math.max(0, ...pairs.map((pair) => pair.id)) + 1, key: '', value: '' }]);
  return (
    <fieldset class="context-rows">
      <legend>Encryption context</legend>
      {pairs.length === 0 ? <p class="hint">None: the request carries no encryption context.</p> : null}
      {pairs.map((pair, index) => (
        <div class="context-row" key={pair.id}>
          <label class="field">
            <span class="field-label">Context key {index + 1}</span>
            <input spellcheck={false} autoComplete="off" value={pair.key} onInput={(event) => update(pair.id, { key: inputValue(event) })} />
          </label>
          <label class="field">
            <span class="field-label">Context value {index + 1}</span>
            <input spellcheck={false} autoComplete="off" value={pair.value} onInput={(event) => update(pair.id, { value: inputValue(event) })} />
          </label>
          <button type="button" aria-label={`Remove context pair ${index + 1}`} onClick={() => onChange(pairs.filter((other) => other.id !== pair.id))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={add}>
        Add context pair
      </button>
    </fieldset>
  );
}

/** The context the rows describe; rows left empty are ignored, a key given twice is refused. */
export function encryptionContextOf(pairs: readonly ContextPair[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (const { key, value } of pairs) {
    if (key === '' && value === '') continue;
    if (key === '') throw new Error('Every encryption context value needs a key.');
    if (Object.hasOwn(context, key)) throw new Error(`The encryption context names "${key}" twice.`);
    context[key] = value;
  }
  return context;
}
