import type { GrantConstraints, GrantListEntry } from '@aws-sdk/client-kms';
import { formatTime } from '../../ui/forms';

/** Ending a grant: retired (by its retiring principal or grantee, RetireGrant) or revoked (by a key admin, RevokeGrant). */
export type GrantEnding = 'retire' | 'revoke';

/** The grants, one row each, with their Retire and Revoke buttons (named after the grant for screen readers). */
export function GrantTable({ grants, busy, onEnd }: {
  grants: readonly GrantListEntry[];
  busy: boolean;
  onEnd: (kind: GrantEnding, grant: GrantListEntry) => void;
}) {
  if (grants.length === 0) return <p class="empty">No grants.</p>;
  return (
    <div class="table-scroll">
      <table class="grants">
        <thead>
          <tr>
            <th scope="col">Grant</th>
            <th scope="col">Grantee principal</th>
            <th scope="col">Operations</th>
            <th scope="col">Retiring principal</th>
            <th scope="col">Constraints</th>
            <th scope="col">Created</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {grants.map((grant) => {
            const named = grant.Name || grant.GrantId;
            return (
              <tr key={grant.GrantId}>
                <td>
                  {grant.Name ? <div>{grant.Name}</div> : null}
                  <div class="mono muted grant-id">{grant.GrantId}</div>
                </td>
                <td class="mono">{grant.GranteePrincipal}</td>
                <td>{(grant.Operations ?? []).join(', ')}</td>
                <td class="mono">{grant.RetiringPrincipal ?? '—'}</td>
                <td>{constraintText(grant.Constraints)}</td>
                <td>{formatTime(grant.CreationDate)}</td>
                <td>
                  <div class="actions">
                    <button type="button" aria-label={`Retire grant ${named}`} disabled={busy} onClick={() => onEnd('retire', grant)}>
                      Retire
                    </button>
                    <button type="button" aria-label={`Revoke grant ${named}`} disabled={busy} onClick={() => onEnd('revoke', grant)}>
                      Revoke
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A grant's encryption context constraint in words: `equals {…}` or `includes {…}`. */
function constraintText(constraints: GrantConstraints | undefined): string {
  const equals = constraints?.EncryptionContextEquals;
  const subset = constraints?.EncryptionContextSubset;
  if (equals) return `Context equals ${JSON.stringify(equals)}`;
  if (subset) return `Context includes ${JSON.stringify(subset)}`;
  return '—';
}
