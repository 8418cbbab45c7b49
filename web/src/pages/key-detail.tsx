import { describeKey } from '../api/key-lifecycle';
import { useConsole } from '../console-context';
import { hrefOf } from '../routing';
import { useAsync } from '../ui/async';
import { ErrorNotice } from '../ui/errors';
import { Loading, Page } from '../ui/page';
import { AliasesPanel } from './key-detail/aliases-panel';
import { GrantsPanel } from './key-detail/grants-panel';
import { MetadataPanel } from './key-detail/metadata-panel';
import { PolicyPanel } from './key-detail/policy-panel';
import { PublicKeyPanel } from './key-detail/public-key-panel';
import { RotationPanel } from './key-detail/rotation-panel';
import { TagsPanel } from './key-detail/tags-panel';

/**
 * One key: its metadata and lifecycle, rotation, aliases, tags, grants, policy and (for a key pair) public key, each
 * in its own panel that loads and changes its own part. `keyId` may be an id, an ARN or an alias name: DescribeKey
 * resolves it, and the panels then work with the key's id.
 */
export function KeyDetailPage({ keyId }: { keyId: string }) {
  const { clients } = useConsole();
  const described = useAsync(() => describeKey(clients.kms, keyId), [clients, keyId]);
  const metadata = described.data;
  const id = metadata?.KeyId;

  return (
    <div class="key-detail">
      <Page title={`Key ${id ?? keyId}`} actions={<a class="button" href={hrefOf({ page: 'keys' })}>All keys</a>}>
        <ErrorNotice error={described.error} />
        {!metadata || !id ? (
          described.error === undefined ? <Loading what="the key" /> : null
        ) : (
          <>
            <MetadataPanel metadata={metadata} onChanged={described.reload} />
            <PublicKeyPanel metadata={metadata} />
            <RotationPanel metadata={metadata} onChanged={described.reload} />
            <div class="panel-pair">
              <AliasesPanel keyId={id} />
              <TagsPanel keyId={id} />
            </div>
            <GrantsPanel metadata={metadata} />
            <PolicyPanel keyId={id} />
          </>
        )}
      </Page>
    </div>
  );
}
