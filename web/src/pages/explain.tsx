import { useState } from 'preact/hooks';
import { KMS_ACTIONS } from '../api/iam-kms-actions';
import { knownPrincipals } from '../api/iam-principals';
import { useConsole } from '../console-context';
import { useAsync } from '../ui/async';
import { ErrorNotice } from '../ui/errors';
import { Field, inputValue } from '../ui/forms';
import { Page } from '../ui/page';
import { useAction } from '../ui/use-action';
import { encryptionContextOf, EncryptionContextRows, type ContextPair } from './explain/encryption-context-rows';
import { explainAuthorization, keyArnOf, type AuthorizationExplanation } from './explain/explain-authorization';
import { Explanation } from './explain/explanation';
import { keyChoices } from './explain/key-choices';

/**
 * "Why was this denied?": a principal, an action, a key, an encryption context and a source address, and the
 * server's own authorizer says how it would decide and why (admin API ExplainAuthorization: administrator only).
 * Principals and keys are suggested from the session's account; any ARN can be typed.
 */
export function ExplainPage() {
  const { session, clients } = useConsole();
  const principals = useAsync(() => knownPrincipals(clients.iam, session), [clients, session]);
  const keys = useAsync(() => keyChoices(clients.kms).catch(() => []), [clients]);
  const [principalArn, setPrincipalArn] = useState('');
  const [action, setAction] = useState('kms:Decrypt');
  const [key, setKey] = useState('');
  const [pairs, setPairs] = useState<readonly ContextPair[]>([]);
  const [sourceIp, setSourceIp] = useState('');
  const [explanation, setExplanation] = useState<AuthorizationExplanation>();
  const explain = useAction(async () => {
    setExplanation(undefined);
    const encryptionContext = encryptionContextOf(pairs);
    const keyArn = await keyArnOf(clients.kms, key);
    setExplanation(
      await explainAuthorization(session, {
        principalArn: principalArn.trim(),
        action: action.trim(),
        ...(keyArn ? { keyArn } : {}),
        encryptionContext,
        ...(sourceIp.trim() ? { sourceIp: sourceIp.trim() } : {}),
      }),
    );
  });

  return (
    <Page title="Why was this denied?">
      <p class="hint">
        Ask how the server would decide a request, and which statements and grants decide it. Only the administrator's
        root may ask; anyone else gets the server's AccessDeniedException.
      </p>
      <form class="panel explain-form" aria-label="Request to explain" onSubmit={(event) => { event.preventDefault(); void explain.run(); }}>
        <div class="form-grid">
          <Field label="Principal ARN" hint="A root, user, role or assumed-role session ARN.">
            <input name="principalArn" required list="explain-principals" spellcheck={false} autoComplete="off"
              placeholder={`arn:aws:iam::${session.accountId}:user/…`} value={principalArn} onInput={(e) => setPrincipalArn(inputValue(e))} />
          </Field>
          <Field label="Action">
            <input name="action" required list="explain-actions" spellcheck={false} autoComplete="off" value={action} onInput={(e) => setAction(inputValue(e))} />
          </Field>
          <Field label="KMS key" hint="Its ARN, or an id or alias of this account; empty for kms:CreateKey, kms:ListKeys…">
            <input name="key" list="explain-keys" spellcheck={false} autoComplete="off" value={key} onInput={(e) => setKey(inputValue(e))} />
          </Field>
          <Field label="Source IP (optional)" hint="The caller's address, for aws:SourceIp conditions; default 127.0.0.1.">
            <input name="sourceIp" spellcheck={false} autoComplete="off" value={sourceIp} onInput={(e) => setSourceIp(inputValue(e))} />
          </Field>
        </div>
        <EncryptionContextRows pairs={pairs} onChange={setPairs} />
        <ErrorNotice error={explain.error} />
        <button type="submit" class="primary" disabled={explain.busy}>
          {explain.busy ? 'Explaining…' : 'Explain'}
        </button>
        <datalist id="explain-principals">
          {(principals.data ?? []).map((principal) => (
            <option key={principal.arn} value={principal.arn} label={principal.label} />
          ))}
        </datalist>
        <datalist id="explain-actions">
          {KMS_ACTIONS.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <datalist id="explain-keys">
          {(keys.data ?? []).map((choice) => (
            <option key={choice.arn} value={choice.arn} label={choice.label} />
          ))}
        </datalist>
      </form>
      {explanation ? <Explanation explanation={explanation} /> : null}
    </Page>
  );
}
