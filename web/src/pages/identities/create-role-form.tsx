import { useState } from 'preact/hooks';
import { trustPolicyTemplate } from '../../api/iam-policy-document';
import { createRole } from '../../api/iam-roles';
import { useConsole } from '../../console-context';
import { ErrorNotice } from '../../ui/errors';
import { Field, inputValue } from '../../ui/forms';
import { useAction } from '../../ui/use-action';
import { PolicyEditor, policyEditorProblem } from './policy-editor';

/**
 * A new role: its name, an optional description and its trust policy (who may assume it), which starts as
 * "principals of this account whose own policies allow sts:AssumeRole".
 */
export function CreateRoleForm({ onCreated }: { onCreated: (roleName: string) => void }) {
  const { session, clients } = useConsole();
  const [roleName, setRoleName] = useState('');
  const [description, setDescription] = useState('');
  const [trustPolicy, setTrustPolicy] = useState(() => trustPolicyTemplate(session.accountId));
  const create = useAction(async () => {
    const problem = policyEditorProblem(trustPolicy, 'trust');
    if (problem) throw new Error(problem);
    const role = await createRole(clients.iam, { roleName: roleName.trim(), trustPolicy, description: description.trim() });
    onCreated(role?.RoleName ?? roleName.trim());
  });
  return (
    <form class="subsection" aria-label="New role" onSubmit={(event) => { event.preventDefault(); void create.run(); }}>
      <div class="form-grid">
        <Field label="Role name" hint="Letters, digits and +=,.@_- (up to 64).">
          <input name="roleName" required maxLength={64} spellcheck={false} autoComplete="off"
            value={roleName} onInput={(event) => setRoleName(inputValue(event))} />
        </Field>
        <Field label="Description (optional)">
          <input name="description" maxLength={1000} value={description} onInput={(event) => setDescription(inputValue(event))} />
        </Field>
      </div>
      <PolicyEditor id="new-role-trust-policy" label="Trust policy" kind="trust" value={trustPolicy} onChange={setTrustPolicy} />
      <ErrorNotice error={create.error} />
      <button type="submit" class="primary" disabled={create.busy}>
        Create role
      </button>
    </form>
  );
}
