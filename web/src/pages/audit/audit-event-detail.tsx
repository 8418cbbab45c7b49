import { useEffect, useRef } from 'preact/hooks';
import type { AuditEventRow } from '../../api/audit-events';
import { formatTime } from '../../ui/forms';
import { Facts } from '../../ui/page';

/**
 * One event's CloudTrail record: the facts a reader looks for first, then the whole record as JSON. Its heading
 * takes the focus when an event is chosen, so a keyboard user lands on what they asked to see.
 */
export function AuditEventDetail({ row, onClose }: { row: AuditEventRow; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [row.eventId]);
  const errorMessage = typeof row.record?.['errorMessage'] === 'string' ? row.record['errorMessage'] : undefined;
  return (
    <section class="panel" aria-labelledby="audit-event-detail-title">
      <header class="panel-header">
        <h2 id="audit-event-detail-title" tabIndex={-1} ref={heading}>
          Event detail: {row.eventName}
        </h2>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Close event detail
          </button>
        </div>
      </header>
      <Facts
        entries={[
          ['Event ID', <span class="mono">{row.eventId}</span>],
          ['Time', formatTime(row.time)],
          ['User', row.user],
          ['Source IP', row.sourceIp],
          ['Read-only', row.readOnly ? 'Yes' : 'No'],
          ['Error code', row.errorCode],
          ['Error message', errorMessage],
        ]}
      />
      <h3 class="detail-subtitle">CloudTrail record</h3>
      <pre class="json" tabIndex={0} aria-label="CloudTrail record as JSON">
        {row.detail}
      </pre>
    </section>
  );
}
