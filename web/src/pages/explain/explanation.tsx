import { useEffect, useRef } from 'preact/hooks';
import { Facts } from '../../ui/page';
import type { AuthorizationExplanation } from './explain-authorization';

/** What each decision means, in words, by effect and the layer that decided. */
function meaning({ Effect, Reason, Resource }: AuthorizationExplanation): string {
  const onKey = Resource !== undefined && Resource.includes(':key/');
  if (Effect === 'Allow') {
    switch (Reason) {
      case 'key-policy':
        return 'Allowed: a statement of the key policy allows this request.';
      case 'identity-policy':
        return onKey
          ? "Allowed: the key policy delegates to the account's IAM policies, and an identity policy allows this request."
          : 'Allowed: an identity policy allows this request.';
      case 'grant':
        return 'Allowed: a grant on the key allows this request.';
      case 'root-identity':
        return "Allowed: an account's root acting in its own account is allowed what no policy denies it.";
    }
  }
  if (Effect === 'ExplicitDeny') {
    const where = Reason === 'identity-policy' ? 'an identity policy' : 'the key policy';
    return `Denied: a Deny statement of ${where} applies, and an explicit deny overrides every allow.`;
  }
  if (Reason === 'identity-policy') {
    return onKey
      ? "Denied: the key policy leaves the decision to the account's IAM policies, and no identity policy allows it."
      : 'Denied: no identity policy allows this request.';
  }
  return 'Denied: no statement of the key policy and no grant allows this request.';
}

/**
 * The server's answer: the effect, prominent; why, in words and as the layer that decided; the statements and
 * grants that applied; and the message the caller itself would get. Focused when it arrives.
 */
export function Explanation({ explanation }: { explanation: AuthorizationExplanation }) {
  const { Effect, Reason, PrincipalArn, Action, Resource, Matched, DeniedMessage } = explanation;
  const allowed = Effect === 'Allow';
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [explanation]);
  return (
    <section class="panel explanation" aria-labelledby="explanation-title">
      <h2 id="explanation-title" tabIndex={-1} ref={heading}>
        Decision
      </h2>
      <div class={`verdict ${allowed ? 'verdict-allow' : 'verdict-deny'}`}>
        <span class="verdict-effect">{Effect}</span>
        <span>{meaning(explanation)}</span>
      </div>
      <Facts
        entries={[
          ['Reason', <span class="mono">{Reason}</span>],
          ['Principal (as evaluated)', <span class="mono">{PrincipalArn}</span>],
          ['Action', <span class="mono">{Action}</span>],
          ['Resource', Resource ? <span class="mono">{Resource}</span> : undefined],
        ]}
      />
      <h3 class="detail-subtitle">Statements and grants that applied</h3>
      {Matched.length === 0 ? (
        <p class="empty">None: no statement or grant applied to this request.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Effect</th>
                <th scope="col">Sid</th>
                <th scope="col">Statement index</th>
                <th scope="col">Delegated to account</th>
              </tr>
            </thead>
            <tbody>
              {Matched.map((statement, index) => (
                <tr key={index}>
                  <td class="mono wrap-anywhere">{statement.Source}</td>
                  <td>
                    <span class={statement.Effect === 'Allow' ? 'effect-allow' : 'effect-deny'}>{statement.Effect}</span>
                  </td>
                  <td>{statement.Sid ?? <span class="muted">—</span>}</td>
                  <td>{statement.StatementIndex ?? <span class="muted">—</span>}</td>
                  <td>{statement.DelegatedToAccount ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {DeniedMessage ? (
        <>
          <h3 class="detail-subtitle">What the caller is told</h3>
          <blockquote class="denied-message mono">AccessDeniedException: {DeniedMessage}</blockquote>
        </>
      ) : null}
    </section>
  );
}
