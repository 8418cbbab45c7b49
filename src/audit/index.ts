/**
 * The audit trail: CloudTrail-shaped events for every request, journaled durably with group commit,
 * hash-chained per writer and sealed with signed digests; verified, queried (LookupEvents, GetKeyLastUsage)
 * and pruned by retention without breaking verification. Design: docs/audit-trail.md, docs/adr/0004-audit-trail.md.
 */
export * from './event.js';
export { apiCallEvent, serviceEvent, type ApiCallFacts, type ServiceEventFacts } from './event-builder.js';
export { newEventId } from './event-id.js';
export { OPERATION_RULES, TRACKED_CRYPTOGRAPHIC_OPERATIONS } from './redaction-rules.js';
export { openAuditDatabase, type AuditDatabase } from './audit-database.js';
export { openGroupCommit, type GroupCommit, type GroupCommitOptions } from './group-commit.js';
export { WriterChain, storedChainPlan, type StoredChain } from './writer-chain.js';
export { runSqlitePlan } from './sqlite-plan-runner.js';
export {
  openAuditLog, AuditWriteError, type AuditLog, type AuditLogOptions, type AuditSink, type CommitInfo, type CommittedEvent, type IndexInfo,
} from './audit-log.js';
export { openMemoryAuditLog, type MemoryAuditLog, type MemoryAuditLogOptions } from './memory-audit-log.js';
export type { JournalFile } from './journal.js';
export { importAuditJournals } from './journal-import.js';
export {
  createAuditSigningKey, exportAuditSigningKey, loadAuditSigningKey, exportAuditPublicKey, loadAuditPublicKey,
} from './signing-key.js';
export { verifyAuditTrail, verifyPlan, type VerificationReport, type VerificationProblem, type ProblemKind } from './verify.js';
export * from './lookup-events.js';
export { applyRetention, retentionPlan, type RetentionOptions, type RetentionResult } from './retention.js';
export { createJsonLinesSink, type JsonLinesSink, type JsonLinesTarget } from './json-lines-sink.js';
