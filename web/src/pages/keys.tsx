import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { useState } from 'preact/hooks';
import { loadKeyPage, matchesSearch, type KeyRow } from '../api/key-rows';
import { useConsole } from '../console-context';
import { hrefOf, navigate } from '../routing';
import { useAsync } from '../ui/async';
import { ErrorNotice } from '../ui/errors';
import { Field, formatTime, inputValue, Select } from '../ui/forms';
import { Loading, Page } from '../ui/page';

const PAGE_SIZES = ['25', '50', '100'] as const;
const ANY = 'Any';

/** The account's keys in the session's region: a page at a time, filtered and searched within the page. */
export function KeysPage() {
  const { clients } = useConsole();
  const [pageSize, setPageSize] = useState<(typeof PAGE_SIZES)[number]>('50');
  /** Markers of the pages before this one (the first page has none). */
  const [markers, setMarkers] = useState<readonly (string | undefined)[]>([undefined]);
  const marker = markers[markers.length - 1];
  const page = useAsync(() => loadKeyPage(clients.kms, Number(pageSize), marker), [clients, pageSize, marker]);
  const [search, setSearch] = useState('');
  const [state, setState] = useState(ANY);
  const [spec, setSpec] = useState(ANY);
  const [usage, setUsage] = useState(ANY);
  const [findError, setFindError] = useState<unknown>();

  const rows = page.data?.rows ?? [];
  const shown = rows.filter(
    (row) =>
      matchesSearch(row, search) &&
      (state === ANY || row.metadata.KeyState === state) &&
      (spec === ANY || row.metadata.KeySpec === spec) &&
      (usage === ANY || row.metadata.KeyUsage === usage),
  );
  const choices = (pick: (row: KeyRow) => string | undefined) => [ANY, ...new Set(rows.map(pick).filter((v): v is string => !!v))];

  /** Enter in the search box opens the key it names exactly (id, ARN or alias), on this page or not. */
  const find = async (event: Event) => {
    event.preventDefault();
    setFindError(undefined);
    const text = search.trim();
    if (!text || shown.length > 0) return;
    try {
      const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: text }));
      if (KeyMetadata?.KeyId) navigate({ page: 'key', keyId: KeyMetadata.KeyId });
    } catch (error) {
      setFindError(error);
    }
  };

  return (
    <Page title="Keys" actions={<a class="button primary" href={hrefOf({ page: 'create-key' })}>Create key</a>}>
      <form class="filters" role="search" onSubmit={find}>
        <Field label="Search" hint="Id, ARN, alias or description on this page; Enter opens an exact id or alias.">
          <input type="search" name="search" value={search} onInput={(e) => setSearch(inputValue(e))} />
        </Field>
        <Field label="State">
          <Select name="state" value={state} options={choices((row) => row.metadata.KeyState)} onChange={setState} />
        </Field>
        <Field label="Key spec">
          <Select name="spec" value={spec} options={choices((row) => row.metadata.KeySpec)} onChange={setSpec} />
        </Field>
        <Field label="Usage">
          <Select name="usage" value={usage} options={choices((row) => row.metadata.KeyUsage)} onChange={setUsage} />
        </Field>
      </form>
      <ErrorNotice error={findError ?? page.error} />
      {page.loading && !page.data ? <Loading what="keys" /> : <KeyTable rows={shown} />}
      <nav class="pager" aria-label="Pages of keys">
        <button type="button" disabled={markers.length === 1} onClick={() => setMarkers(markers.slice(0, -1))}>
          Previous page
        </button>
        <span>Page {markers.length}</span>
        <button type="button" disabled={!page.data?.nextMarker} onClick={() => setMarkers([...markers, page.data?.nextMarker])}>
          Next page
        </button>
        <Field label="Keys per page">
          <Select name="pageSize" value={pageSize} options={PAGE_SIZES} onChange={(size) => { setPageSize(size); setMarkers([undefined]); }} />
        </Field>
      </nav>
    </Page>
  );
}

function KeyTable({ rows }: { rows: readonly KeyRow[] }) {
  if (rows.length === 0) return <p class="empty">No keys here.</p>;
  return (
    <div class="table-scroll">
      <table class="keys">
        <thead>
          <tr>
            <th scope="col">Aliases</th>
            <th scope="col">Key id</th>
            <th scope="col">State</th>
            <th scope="col">Key spec</th>
            <th scope="col">Usage</th>
            <th scope="col">Rotation</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ metadata, aliases, rotates }) => (
            <tr key={metadata.KeyId}>
              <td>{aliases.length ? aliases.join(', ') : <span class="muted">—</span>}</td>
              <td>
                <a href={hrefOf({ page: 'key', keyId: metadata.KeyId! })} class="mono">
                  {metadata.KeyId}
                </a>
              </td>
              <td>
                <span class={`state state-${metadata.KeyState}`}>{metadata.KeyState}</span>
              </td>
              <td>{metadata.KeySpec}</td>
              <td>{metadata.KeyUsage}</td>
              <td>{rotates === undefined ? '—' : rotates ? 'Yes' : 'No'}</td>
              <td>{formatTime(metadata.CreationDate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
