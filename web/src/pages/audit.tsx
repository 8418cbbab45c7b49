import { useState } from 'preact/hooks';
import { lookupAuditEvents, type AuditEventRow } from '../api/audit-events';
import { auditQueryOf, NO_FILTER, type AuditFilter } from '../api/audit-filter';
import { useConsole } from '../console-context';
import { useAsync } from '../ui/async';
import { ErrorNotice } from '../ui/errors';
import { Loading, Page } from '../ui/page';
import { AuditEventDetail } from './audit/audit-event-detail';
import { AuditEventTable } from './audit/audit-event-table';
import { AuditFilterForm } from './audit/audit-filter-form';
import { TrailVerificationPanel } from './audit/trail-verification';

/**
 * The audit trail of the session's account through CloudTrail's LookupEvents: filters, a page of events at a
 * time (newest first, paged with NextToken), an event's record, and the trail's verification.
 */
export function AuditPage() {
  const { session, clients } = useConsole();
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  /** The tokens of the pages before this one (the first page has none). */
  const [tokens, setTokens] = useState<readonly (string | undefined)[]>([undefined]);
  const token = tokens[tokens.length - 1];
  const page = useAsync(
    async () => lookupAuditEvents(clients.cloudTrail, await auditQueryOf(filter, session, clients.kms), token),
    [clients, session, filter, token],
  );
  const [selected, setSelected] = useState<AuditEventRow>();
  const apply = (next: AuditFilter) => {
    setFilter(next); // a new object each time: "Look up" with the same filter asks again
    setTokens([undefined]);
    setSelected(undefined);
  };
  /** The event name is a toggle: choosing the shown event again closes its detail. */
  const toggle = (row: AuditEventRow) => setSelected(row.eventId === selected?.eventId ? undefined : row);
  const turn = (next: readonly (string | undefined)[]) => {
    setTokens(next);
    setSelected(undefined);
  };

  return (
    <Page title="Audit trail">
      <TrailVerificationPanel />
      <AuditFilterForm onApply={apply} />
      <ErrorNotice error={page.error} />
      {page.error ? null : page.loading && !page.data ? (
        <Loading what="events" />
      ) : (
        <AuditEventTable rows={page.data?.rows ?? []} selectedId={selected?.eventId} onSelect={toggle} session={session} />
      )}
      <nav class="pager" aria-label="Pages of events">
        <button type="button" disabled={tokens.length === 1} onClick={() => turn(tokens.slice(0, -1))}>
          Newer events
        </button>
        <span>Page {tokens.length}</span>
        <button type="button" disabled={!page.data?.nextToken} onClick={() => turn([...tokens, page.data?.nextToken])}>
          Older events
        </button>
        <button type="button" onClick={page.reload} disabled={page.loading}>
          Refresh
        </button>
      </nav>
      {selected ? <AuditEventDetail row={selected} onClose={() => setSelected(undefined)} /> : null}
    </Page>
  );
}
