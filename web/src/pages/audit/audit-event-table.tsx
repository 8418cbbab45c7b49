import type { AuditEventRow } from '../../api/audit-events';
import type { Session } from '../../api/session';
import { hrefOf } from '../../routing';
import { formatTime } from '../../ui/forms';

/**
 * The events of one lookup, newest first. The event name is a button that opens the event's record below the
 * table (the selected one is pressed); a key of the session's account and region links to its page.
 */
export function AuditEventTable({ rows, selectedId, onSelect, session }: {
  rows: readonly AuditEventRow[];
  selectedId: string | undefined;
  onSelect: (row: AuditEventRow) => void;
  session: Session;
}) {
  if (rows.length === 0) return <p class="empty">No events match.</p>;
  return (
    <div class="table-scroll">
      <table class="audit-events">
        <caption class="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event name</th>
            <th scope="col">User</th>
            <th scope="col">Key / resources</th>
            <th scope="col">Source IP</th>
            <th scope="col">Error code</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.eventId} class={row.eventId === selectedId ? 'selected' : undefined}>
              <td class="nowrap">{formatTime(row.time)}</td>
              <td>
                <button type="button" class="link-button" aria-pressed={row.eventId === selectedId} onClick={() => onSelect(row)}>
                  {row.eventName}
                </button>
              </td>
              <td class="wrap-anywhere">{row.user ?? <span class="muted">—</span>}</td>
              <td>
                {row.resources.length === 0 ? <span class="muted">—</span> : row.resources.map((arn) => <ResourceName key={arn} arn={arn} session={session} />)}
              </td>
              <td class="mono">{row.sourceIp ?? '—'}</td>
              <td>{row.errorCode ? <span class="error-code">{row.errorCode}</span> : <span class="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A key ARN shortened to `key/<id>` (the full ARN in its title), linked when the key is the session's. */
function ResourceName({ arn, session }: { arn: string; session: Session }) {
  const match = /^arn:[^:]+:kms:([^:]+):(\d{12}):(key\/(.+))$/.exec(arn);
  if (!match) return <span class="mono resource wrap-anywhere">{arn}</span>;
  const [, region, accountId, resource, keyId] = match;
  const ours = region === session.region && accountId === session.accountId && keyId;
  return ours ? (
    <a class="mono resource" href={hrefOf({ page: 'key', keyId })} title={arn}>
      {resource}
    </a>
  ) : (
    <span class="mono resource" title={arn}>
      {resource}
    </span>
  );
}
