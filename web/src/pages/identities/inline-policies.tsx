import { useState } from 'preact/hooks';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicies, type PolicyHolder } from '../../api/iam-inline-policies';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/confirm';
import { ErrorNotice } from '../../ui/errors';
import { Loading } from '../../ui/page';
import { useAction } from '../../ui/use-action';
import { InlinePolicyForm, type PolicyDraft } from './inline-policy-form';

/**
 * A user's or role's inline policies: their names, each to edit or delete, and a new one to add. The editor opens
 * below the list with the document as IAM stores it, decoded and indented.
 */
export function InlinePolicies({ holder }: { holder: PolicyHolder }) {
  const { clients } = useConsole();
  const names = useAsync(() => listInlinePolicies(clients.iam, holder), [clients, holder.kind, holder.name]);
  const [draft, setDraft] = useState<PolicyDraft>();
  const [deleting, setDeleting] = useState<string>();
  const edit = useAction(async (policyName: string) => {
    setDraft({ policyName, document: await getInlinePolicy(clients.iam, holder, policyName), existing: true });
  });
  const remove = useAction(async (policyName: string) => {
    await deleteInlinePolicy(clients.iam, holder, policyName);
    if (draft?.policyName === policyName) setDraft(undefined);
    names.reload();
  });
  const saved = () => {
    setDraft(undefined);
    names.reload();
  };

  return (
    <section class="subsection" aria-labelledby={`${holder.kind}-policies-title`}>
      <div class="subsection-header">
        <h3 id={`${holder.kind}-policies-title`}>Inline policies</h3>
        <button type="button" onClick={() => setDraft({ policyName: '', document: '', existing: false })} disabled={draft?.existing === false}>
          Add inline policy
        </button>
      </div>
      <ErrorNotice error={edit.error ?? remove.error ?? names.error} />
      {names.error ? null : names.loading && !names.data ? (
        <Loading what="policies" />
      ) : (names.data ?? []).length === 0 ? (
        <p class="empty">No inline policies.</p>
      ) : (
        <ul class="policy-list">
          {(names.data ?? []).map((policyName) => (
            <li key={policyName}>
              <span class="mono">{policyName}</span>
              <span class="actions">
                <button type="button" aria-label={`Edit policy ${policyName}`} onClick={() => void edit.run(policyName)} disabled={edit.busy}>
                  Edit
                </button>
                <button type="button" aria-label={`Delete policy ${policyName}`} onClick={() => setDeleting(policyName)}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {draft ? (
        <InlinePolicyForm key={draft.existing ? draft.policyName : ''} holder={holder} draft={draft} onSaved={saved} onCancel={() => setDraft(undefined)} />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete policy ${deleting}?`}
          confirmLabel="Delete policy"
          danger
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setDeleting(undefined);
            void remove.run(deleting);
          }}
        >
          <p>What it allowed is no longer allowed through it, from the next request on.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
