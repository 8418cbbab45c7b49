import type { KeyMetadata } from '@aws-sdk/client-kms';
import { useEffect, useState } from 'preact/hooks';
import { loadPublicKey, publicKeyFileName } from '../../api/key-public-key';
import { hasPublicKey } from '../../api/key-specs';
import { useConsole } from '../../console-context';
import { useAsync } from '../../ui/async';
import { ErrorNotice } from '../../ui/errors';
import { Loading, Panel } from '../../ui/page';

/**
 * The public key of a key pair (GetPublicKey), shown as PEM and offered as a file. The file is a Blob behind an
 * object URL and an `<a download>`: a blob: URL is of this page's origin, so nothing leaves the browser and the
 * Content-Security-Policy (which governs fetches, not downloads) has nothing to refuse.
 */
export function PublicKeyPanel({ metadata }: { metadata: KeyMetadata }) {
  if (!hasPublicKey(metadata)) return null;
  return <PublicKey keyId={metadata.KeyId!} />;
}

function PublicKey({ keyId }: { keyId: string }) {
  const { clients } = useConsole();
  const publicKey = useAsync(() => loadPublicKey(clients.kms, keyId), [clients, keyId]);
  const pem = publicKey.data?.pem;
  const url = useObjectUrl(pem, 'application/x-pem-file');

  return (
    <Panel title="Public key" actions={url ? (
      <a class="button primary" href={url} download={publicKeyFileName(keyId)}>
        Download public key (PEM)
      </a>
    ) : null}>
      <ErrorNotice error={publicKey.error} />
      {publicKey.loading && !publicKey.data ? <Loading what="the public key" /> : null}
      {pem ? <pre class="json public-key" aria-label="Public key (PEM)" tabIndex={0}>{pem}</pre> : null}
    </Panel>
  );
}

/** An object URL for `text` while the component shows it, revoked when the text changes or the panel goes. */
function useObjectUrl(text: string | undefined, type: string): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (text === undefined) return undefined;
    const created = URL.createObjectURL(new Blob([text], { type }));
    setUrl(created);
    return () => {
      URL.revokeObjectURL(created);
      setUrl(undefined);
    };
  }, [text, type]);
  return url;
}
