import { useState } from 'preact/hooks';
import { verifyAuditTrail, type TrailVerification } from '../../api/audit-verification';
import { useConsole } from '../../console-context';
import { ErrorNotice } from '../../ui/errors';
import { Panel } from '../../ui/page';

/**
 * "Verify the trail": the admin API's VerifyAuditTrail, which walks every writer's hash chain and signed digests.
 * Only the administrator may ask; anyone else sees the server's AccessDeniedException here, as it is.
 */
export function TrailVerificationPanel() {
  const { session } = useConsole();
  const [result, setResult] = useState<TrailVerification>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await verifyAuditTrail(session));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel
      title="Trail integrity"
      actions={
        <button type="button" onClick={() => void verify()} disabled={busy}>
          {busy ? 'Verifying…' : 'Verify the trail'}
        </button>
      }
    >
      {!result && !error ? (
        <p class="hint">Checks every record's hash chain and the signed digests that seal them (administrator only).</p>
      ) : null}
      <ErrorNotice error={error} />
      {result ? <VerificationResult result={result} /> : null}
    </Panel>
  );
}

function VerificationResult({ result }: { result: TrailVerification }) {
  const { Ok, Writers, Problems } = result;
  return (
    <div>
      <p class={`notice ${Ok ? 'success' : 'error'}`} role="status">
        {Ok
          ? `Ok: the trail is intact (${Writers.length} ${Writers.length === 1 ? 'writer' : 'writers'}).`
          : `Not ok: ${Problems.length} ${Problems.length === 1 ? 'problem' : 'problems'} found.`}
      </p>
      <div class="table-scroll">
        <table>
          <caption>Writers</caption>
          <thead>
            <tr>
              <th scope="col">Writer</th>
              <th scope="col">Records</th>
              <th scope="col">Sealed through</th>
            </tr>
          </thead>
          <tbody>
            {Writers.map((writer) => (
              <tr key={writer.Writer}>
                <td class="mono nowrap">{writer.Writer}</td>
                <td>{writer.Records}</td>
                <td>{writer.SealedThrough}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {Problems.length > 0 ? (
        <div class="table-scroll">
          <table>
            <caption>Problems</caption>
            <thead>
              <tr>
                <th scope="col">Writer</th>
                <th scope="col">Record</th>
                <th scope="col">Kind</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {Problems.map((problem) => (
                <tr key={`${problem.Writer}:${problem.Seq}:${problem.Kind}`}>
                  <td class="mono nowrap">{problem.Writer}</td>
                  <td>{problem.Seq}</td>
                  <td>
                    <span class={problem.Kind === 'unsealed-tail' ? 'problem-kind' : 'problem-kind serious'}>{problem.Kind}</span>
                  </td>
                  <td class="problem-detail">{problem.Detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
