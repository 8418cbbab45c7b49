import { UnsupportedOperationException } from '../../errors.js';
import { AdminInput } from './admin-input.js';
import { publicResult, type AdminOperation } from './admin-operation.js';

/**
 * `StrongroomAdmin.VerifyAuditTrail`: walks every writer's hash chain and signed digests, as `strongroom audit
 * verify` does, over every record acknowledged so far, and names each altered, removed or inserted record. The
 * console's audit page shows it. Details never contain event content.
 *
 * @example
 *   // {} → {"Ok":true,"Writers":[{"Writer":"host-123-1718000000000","Records":42,"SealedThrough":40}],"Problems":[]}
 */
export const verifyAuditTrailOperation: AdminOperation = {
  name: 'VerifyAuditTrail',
  readOnly: true,
  async handle(body, { verifyAuditTrail }) {
    new AdminInput(body).check();
    if (verifyAuditTrail === undefined) throw new UnsupportedOperationException('This server records no audit trail.');
    const report = await verifyAuditTrail();
    return publicResult({
      Ok: report.ok,
      Writers: report.writers.map((writer) => ({ Writer: writer.writer, Records: writer.records, SealedThrough: writer.sealedThrough })),
      Problems: report.problems.map((problem) => ({ Writer: problem.writer, Seq: problem.seq, Kind: problem.kind, Detail: problem.detail })),
    });
  },
};
