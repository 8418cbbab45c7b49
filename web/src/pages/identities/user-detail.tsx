import { describeUser } from '../../api/iam-users';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { formatTime } from '../../ui/forms';
import { Facts } from '../../ui/page';
import { AccessKeys } from './access-keys';
import { InlinePolicies } from './inline-policies';
import { PrincipalHeader } from './principal-header';

/** One IAM user: who it is, its access keys and its inline policies. */
export function UserDetail({ userName, onClose }: { userName: string; onClose: () => void }) {
  const { clients } = useConsole();
  const described = useAsync(() => describeUser(clients.iam, userName), [clients, userName]);
  const user = described.data;
  return (
    <section class="panel principal-detail" aria-label={`User ${userName}`}>
      <PrincipalHeader title={`User ${userName}`} onClose={onClose} />
      <ErrorNotice error={described.error} />
      {user ? (
        <Facts
          entries={[
            ['ARN', <span class="mono">{user.Arn}</span>],
            ['User id', <span class="mono">{user.UserId}</span>],
            ['Path', user.Path],
            ['Created', formatTime(user.CreateDate)],
          ]}
        />
      ) : null}
      <AccessKeys userName={userName} />
      <InlinePolicies holder={{ kind: 'user', name: userName }} />
    </section>
  );
}
