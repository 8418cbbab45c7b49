import { formatTime } from '../../ui/forms';

/** A user or a role as its table shows it. */
export interface IdentityRow {
  readonly name: string;
  readonly arn: string | undefined;
  readonly created: Date | undefined;
  /** Shown in a column of its own when the table has `describes` (roles). */
  readonly description?: string | undefined;
}

/**
 * The users or the roles of the account: the name selects one (its access keys, inline policies), the row's button
 * asks to delete it. ARN and creation date hide on narrow screens.
 */
export function IdentityTable({ kind, rows, describes = false, selected, onSelect, onDelete }: {
  kind: 'user' | 'role';
  rows: readonly IdentityRow[];
  describes?: boolean;
  selected: string | undefined;
  onSelect: (name: string) => void;
  onDelete: (name: string) => void;
}) {
  if (rows.length === 0) return <p class="empty">No {kind}s yet.</p>;
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{kind === 'user' ? 'User' : 'Role'} name</th>
            <th scope="col" class="hide-narrow">ARN</th>
            {describes ? <th scope="col">Description</th> : null}
            <th scope="col" class="hide-narrow">Created</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ name, arn, description, created }) => (
            <tr key={name} class={name === selected ? 'selected' : undefined}>
              <td>
                <button type="button" class="link-button" aria-pressed={name === selected} onClick={() => onSelect(name)}>
                  {name}
                </button>
              </td>
              <td class="mono wrap-anywhere hide-narrow">{arn}</td>
              {describes ? <td>{description ?? <span class="muted">—</span>}</td> : null}
              <td class="nowrap hide-narrow">{formatTime(created)}</td>
              <td class="row-actions">
                <button type="button" aria-label={`Delete ${kind} ${name}`} onClick={() => onDelete(name)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
