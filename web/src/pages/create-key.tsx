import { useState } from 'preact/hooks';
import { aliasNameOf, aliasNameProblem } from '../api/key-aliases';
import { createKeyWithAlias, type CreatedKey } from '../api/key-creation';
import { tagsOf, type TagDraft } from '../api/key-tags';
import { useConsole } from '../console-context';
import { hrefOf, navigate } from '../routing';
import { ErrorNotice } from '../ui/errors';
import { Field, inputValue } from '../ui/forms';
import { Page } from '../ui/page';
import { DEFAULT_KEY_TYPE, KeyTypeFields, type KeyType } from './create-key/key-type-fields';
import { TagRows } from './create-key/tag-rows';

/** A problem the form found itself (shown like the server's refusals, without an error name). */
class FormProblem extends Error {}

/**
 * Creates a key of any spec and usage AWS offers, with a description, an optional alias and tags, single- or
 * multi-Region, with generated or (later) imported material; then opens the new key's page.
 */
export function CreateKeyPage() {
  const { clients } = useConsole();
  const [type, setType] = useState<KeyType>(DEFAULT_KEY_TYPE);
  const [description, setDescription] = useState('');
  const [alias, setAlias] = useState('');
  const [tags, setTags] = useState<TagDraft[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  /** Set when the key was made but its alias was refused: the page says both and links to the key. */
  const [partly, setPartly] = useState<CreatedKey>();

  const aliasName = alias.trim() ? aliasNameOf(alias) : undefined;
  const aliasProblem = aliasName === undefined ? undefined : aliasNameProblem(aliasName);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const checkedTags = tagsOf(tags);
    if (aliasProblem) return setError(new FormProblem(`Alias: ${aliasProblem}`));
    if (checkedTags.problem !== undefined) return setError(new FormProblem(checkedTags.problem));
    setBusy(true);
    try {
      const created = await createKeyWithAlias(clients.kms, {
        ...type,
        description,
        tags: checkedTags.tags,
        ...(aliasName === undefined ? {} : { aliasName }),
      });
      if (created.aliasError === undefined) navigate({ page: 'key', keyId: created.keyId });
      else setPartly(created);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (partly) {
    return (
      <Page title="Key created">
        <p class="notice warning" role="status">
          The key <span class="mono">{partly.keyId}</span> was created, but its alias was refused:
        </p>
        <ErrorNotice error={partly.aliasError} />
        <a class="button primary" href={hrefOf({ page: 'key', keyId: partly.keyId })}>Open the new key</a>
      </Page>
    );
  }

  return (
    <Page title="Create key">
      <form class="panel create-key" onSubmit={submit} aria-label="New key">
        <KeyTypeFields value={type} onChange={setType} />
        <div class="form-grid">
          <Field label="Description" hint="What the key protects, for the people who will look at it later.">
            <input name="description" maxLength={8192} value={description} onInput={(e) => setDescription(inputValue(e))} />
          </Field>
          <Field label="Alias (optional)" hint="A friendly name, alias/…: letters, digits, /, _ and -.">
            <span class="with-prefix">
              <span class="prefix mono" aria-hidden="true">alias/</span>
              <input name="alias" spellcheck={false} value={alias} onInput={(e) => setAlias(inputValue(e))}
                aria-invalid={aliasProblem ? 'true' : undefined} aria-describedby={aliasProblem ? 'alias-problem' : undefined} />
            </span>
          </Field>
        </div>
        {aliasProblem ? <p id="alias-problem" class="key-field-problem">{aliasProblem}</p> : null}
        <TagRows tags={tags} onChange={setTags} />
        <ErrorNotice error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Creating key…' : 'Create key'}
          </button>
          <a class="button" href={hrefOf({ page: 'keys' })}>Cancel</a>
        </div>
      </form>
    </Page>
  );
}
