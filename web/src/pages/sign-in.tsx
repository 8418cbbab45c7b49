import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { useState } from 'preact/hooks';
import { clientConfig } from '../api/aws-clients';
import { saveSession, type Session } from '../api/session';
import { ErrorNotice } from '../ui/errors';
import { Field, inputValue } from '../ui/forms';

type Credentials = Pick<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'region'>;

/**
 * Sign-in with an access key (the administrator's is in `<data-dir>/credentials`), optionally assuming a role with
 * it. The credentials are checked with STS GetCallerIdentity and kept in this tab's session storage only.
 */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [roleArn, setRoleArn] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const given: Credentials = { accessKeyId: accessKeyId.trim(), secretAccessKey, region: region.trim() };
      const credentials = roleArn.trim() ? await assumeRole(given, roleArn.trim()) : given;
      const identity = await new STSClient(clientConfig(credentials)).send(new GetCallerIdentityCommand({}));
      const session: Session = { ...credentials, accountId: identity.Account ?? '', arn: identity.Arn ?? '' };
      saveSession(session);
      onSignedIn(session);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Strongroom</h1>
        <p class="hint">
          Requests are signed in this browser; the secret stays in this tab's session storage and is never sent.
        </p>
        <Field label="Access key ID">
          <input name="accessKeyId" required autoComplete="username" spellcheck={false} value={accessKeyId} onInput={(e) => setAccessKeyId(inputValue(e))} />
        </Field>
        <Field label="Secret access key">
          <input name="secretAccessKey" type="password" required autoComplete="current-password" value={secretAccessKey} onInput={(e) => setSecretAccessKey(inputValue(e))} />
        </Field>
        <Field label="Region">
          <input name="region" required spellcheck={false} value={region} onInput={(e) => setRegion(inputValue(e))} />
        </Field>
        <Field label="Role to assume (optional)" hint="A role ARN: the console then works with the role's temporary credentials.">
          <input name="roleArn" spellcheck={false} placeholder="arn:aws:iam::111122223333:role/admin" value={roleArn} onInput={(e) => setRoleArn(inputValue(e))} />
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

async function assumeRole(credentials: Credentials, roleArn: string): Promise<Credentials> {
  const sts = new STSClient(clientConfig(credentials));
  const { Credentials: assumed } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'strongroom-console' }));
  if (!assumed?.AccessKeyId || !assumed.SecretAccessKey || !assumed.SessionToken) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: assumed.AccessKeyId, secretAccessKey: assumed.SecretAccessKey, sessionToken: assumed.SessionToken, region: credentials.region };
}
