/*
 * The JSON values an audit event carries in `requestParameters` and `responseElements`: what redaction.ts
 * produces and event.ts records. A module of their own so that neither of the two imports the other for them
 * (event.ts re-exports redaction's functions; the types declared in event.ts made an import cycle).
 */

/** A JSON value as it may appear in `requestParameters` / `responseElements`. */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [name: string]: AuditValue };

/** A JSON object of audit values. */
export type AuditObject = { [name: string]: AuditValue };
