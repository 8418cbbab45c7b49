import { useState } from 'preact/hooks';
import { isRoot } from '../api/session';
import { useConsole } from '../console-context';
import { Page } from '../ui/page';
import { AccountsPanel } from './identities/accounts-panel';
import { RoleDetail } from './identities/role-detail';
import { RolesPanel } from './identities/roles-panel';
import { UserDetail } from './identities/user-detail';
import { UsersPanel } from './identities/users-panel';

/**
 * The identities of the session's account: IAM users (with their access keys and inline policies), roles (with
 * their trust and inline policies), and for the administrator the server's accounts. The chosen user or role
 * opens under its list.
 */
export function IdentitiesPage() {
  const { session } = useConsole();
  const [user, setUser] = useState<string>();
  const [role, setRole] = useState<string>();
  // A name in a list is a toggle: choosing the open user or role again closes it.
  const chooseUser = (name: string | undefined) => setUser(name === user ? undefined : name);
  const chooseRole = (name: string | undefined) => setRole(name === role ? undefined : name);
  return (
    <Page title="Identities">
      <UsersPanel selected={user} onSelect={chooseUser} />
      {user ? <UserDetail key={user} userName={user} onClose={() => setUser(undefined)} /> : null}
      <RolesPanel selected={role} onSelect={chooseRole} />
      {role ? <RoleDetail key={role} roleName={role} onClose={() => setRole(undefined)} /> : null}
      {isRoot(session) ? <AccountsPanel /> : null}
    </Page>
  );
}
