import { describeRole } from '../../api/iam-roles';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { formatTime } from '../../ui/forms';
import { Facts, Loading } from '../../ui/page';
import { InlinePolicies } from './inline-policies';
import { PrincipalHeader } from './principal-header';
import { TrustPolicy } from './trust-policy';

/**
 * One IAM role: who it is, its trust policy (who may assume it; editable) and its inline policies (what its
 * sessions may do).
 */
export function RoleDetail({ roleName, onClose }: { roleName: string; onClose: () => void }) {
  const { clients } = useConsole();
  const described = useAsync(() => describeRole(clients.iam, roleName), [clients, roleName]);
  const role = described.data?.role;
  return (
    <section class="panel principal-detail" aria-label={`Role ${roleName}`}>
      <PrincipalHeader title={`Role ${roleName}`} onClose={onClose} />
      <ErrorNotice error={described.error} />
      {described.loading && !described.data ? <Loading what="the role" /> : null}
      {role ? (
        <>
          <Facts
            entries={[
              ['ARN', <span class="mono">{role.Arn}</span>],
              ['Role id', <span class="mono">{role.RoleId}</span>],
              ['Description', role.Description],
              ['Maximum session', role.MaxSessionDuration ? `${role.MaxSessionDuration / 3600} h` : undefined],
              ['Created', formatTime(role.CreateDate)],
            ]}
          />
          <TrustPolicy roleName={roleName} trustPolicy={described.data?.trustPolicy ?? ''} onSaved={described.reload} />
        </>
      ) : null}
      <InlinePolicies holder={{ kind: 'role', name: roleName }} />
    </section>
  );
}
