import { rows, type SqlPlan, type SqlValue } from '../../store/audit-store.js';

/**
 * The administrator's view of the trail for `strongroom audit tail | query | export`: every account, every
 * record (unauthenticated requests included, which LookupEvents shows to nobody), filters combined with AND.
 * Records are printed as stored (`event_json` verbatim), so a SIEM receives exactly what the hash chain covers.
 */
export interface AuditFilter {
  /** A key ARN, or a bare key id (matched against the ARN's last part). */
  readonly key?: string;
  /** LookupEvents' Username: IAM user name, role session name, or `root`. */
  readonly user?: string;
  readonly eventName?: string;
  readonly accessKeyId?: string;
  /** The account the record was delivered to. */
  readonly account?: string;
  /** Only records of failed, denied or unauthenticated requests. */
  readonly errorsOnly?: boolean;
  /** Inclusive bounds, epoch ms. */
  readonly since?: number;
  readonly until?: number;
  /** Only records stored after this row id (for `tail --follow`). */
  readonly afterId?: number;
}

export interface StoredEvent {
  readonly id: number;
  readonly json: string;
}

/** The records matching `filter`, oldest first; `newest` keeps only the last N of them (any audit store). */
export function* queryAuditEventsPlan(filter: AuditFilter, newest?: number): SqlPlan<StoredEvent[]> {
  const { where, parameters } = conditionsOf(filter);
  const order = newest === undefined ? 'ASC' : 'DESC';
  const limit = newest === undefined ? [] : [Math.max(0, Math.floor(newest))];
  const found = yield* rows<{ id: number; event_json: string }>(
    `SELECT e.id, e.event_json FROM audit_records e ${where} ORDER BY e.event_time ${order}, e.id ${order}${newest === undefined ? '' : ' LIMIT ?'}`,
    ...parameters, ...limit,
  );
  const events = found.map((row) => ({ id: row.id, json: row.event_json }));
  return newest === undefined ? events : events.reverse();
}

/** Where a paged export stands: after this record (event time, then id). */
export interface ExportCursor {
  readonly time: number;
  readonly id: number;
}

/** The first export page. */
export const EXPORT_START: ExportCursor = { time: -1, id: 0 };

/**
 * One page of the records matching `filter`, oldest first, after `cursor` (an export of any size is read page by
 * page, so it uses little memory and holds no statement open while it prints).
 */
export function* exportPagePlan(filter: AuditFilter, cursor: ExportCursor, pageSize = 1000): SqlPlan<{ events: StoredEvent[]; next?: ExportCursor }> {
  const { where, parameters } = conditionsOf(filter);
  const found = yield* rows<{ id: number; event_time: number; event_json: string }>(
    `SELECT e.id, e.event_time, e.event_json FROM audit_records e ${where ? `${where} AND` : 'WHERE'}
       (e.event_time > ? OR (e.event_time = ? AND e.id > ?)) ORDER BY e.event_time, e.id LIMIT ?`,
    ...parameters, cursor.time, cursor.time, cursor.id, pageSize,
  );
  const events = found.map((row) => ({ id: row.id, json: row.event_json }));
  const last = found[found.length - 1];
  return last === undefined || found.length < pageSize ? { events } : { events, next: { time: last.event_time, id: last.id } };
}

function conditionsOf(filter: AuditFilter): { where: string; parameters: SqlValue[] } {
  const conditions: string[] = [];
  const parameters: SqlValue[] = [];
  const add = (condition: string, ...values: SqlValue[]): void => {
    conditions.push(condition);
    parameters.push(...values);
  };
  if (filter.key !== undefined) {
    const byArn = filter.key.startsWith('arn:');
    add(
      `EXISTS (SELECT 1 FROM audit_resources r WHERE r.record_id = e.id AND r.resource_name ${byArn ? '= ?' : 'LIKE ?'})`,
      byArn ? filter.key : `%:key/${filter.key.replace(/[%_]/g, '')}`,
    );
  }
  if (filter.user !== undefined) add('e.username = ?', filter.user);
  if (filter.eventName !== undefined) add('e.event_name = ?', filter.eventName);
  if (filter.accessKeyId !== undefined) add('e.access_key_id = ?', filter.accessKeyId);
  if (filter.account !== undefined) add('e.account_id = ?', filter.account);
  if (filter.errorsOnly === true) conditions.push('e.error_code IS NOT NULL');
  if (filter.since !== undefined) add('e.event_time >= ?', filter.since);
  if (filter.until !== undefined) add('e.event_time <= ?', filter.until);
  if (filter.afterId !== undefined) add('e.id > ?', filter.afterId);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}
