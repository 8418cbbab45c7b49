import type { ComponentChildren } from 'preact';
import type { KeyMetadata } from '@aws-sdk/client-kms';
import { formatTime } from '../../ui/forms';
import { Facts, Panel } from '../../ui/page';
import { LifecycleActions } from './lifecycle-actions';

/**
 * What DescribeKey says about the key, every field that applies to it, with the lifecycle actions its state allows
 * (enable, disable, schedule or cancel deletion).
 */
export function MetadataPanel({ metadata, onChanged }: { metadata: KeyMetadata; onChanged: () => void }) {
  return (
    <Panel title="Details">
      <LifecycleActions metadata={metadata} onChanged={onChanged} />
      {metadata.KeyState === 'PendingImport' ? (
        <p class="notice warning">
          This key has no key material yet. Import it (GetParametersForImport, then ImportKeyMaterial, e.g. with the AWS
          CLI) to use the key.
        </p>
      ) : null}
      <Facts entries={metadataFacts(metadata)} />
    </Panel>
  );
}

type Fact = readonly [string, ComponentChildren];

function metadataFacts(metadata: KeyMetadata): Fact[] {
  const m = metadata;
  return [
    ['Key ID', <span class="mono">{m.KeyId}</span>],
    ['ARN', <span class="mono">{m.Arn}</span>],
    ['State', <span class={`state state-${m.KeyState}`}>{m.KeyState}</span>],
    ['Description', m.Description || <span class="muted">None</span>],
    ['Created', formatTime(m.CreationDate)],
    ['Key spec', m.KeySpec],
    ['Key usage', m.KeyUsage],
    ['Origin', m.Origin],
    ['Key manager', m.KeyManager === 'AWS' ? 'AWS (an AWS managed key)' : m.KeyManager],
    ['Account', m.AWSAccountId],
    ...algorithmFacts(m),
    ...multiRegionFacts(m),
    ...deletionFacts(m),
    ...materialFacts(m),
  ];
}

/** The algorithms the key offers for its usage (only the non-empty lists). */
function algorithmFacts(m: KeyMetadata): Fact[] {
  const lists: [string, readonly string[] | undefined][] = [
    ['Encryption algorithms', m.EncryptionAlgorithms],
    ['Signing algorithms', m.SigningAlgorithms],
    ['MAC algorithms', m.MacAlgorithms],
    ['Key agreement algorithms', m.KeyAgreementAlgorithms],
  ];
  return lists.filter(([, values]) => values?.length).map(([label, values]) => [label, values!.join(', ')]);
}

function multiRegionFacts(m: KeyMetadata): Fact[] {
  const configuration = m.MultiRegionConfiguration;
  if (!m.MultiRegion || !configuration) return [['Multi-Region', 'No']];
  const replicas = configuration.ReplicaKeys ?? [];
  return [
    ['Multi-Region', `Yes: ${configuration.MultiRegionKeyType === 'REPLICA' ? 'a replica key' : 'the primary key'}`],
    ['Primary key', regionalKey(configuration.PrimaryKey?.Arn, configuration.PrimaryKey?.Region)],
    ['Replica keys', replicas.length ? (
      <ul class="plain-list">
        {replicas.map((replica) => <li key={replica.Arn}>{regionalKey(replica.Arn, replica.Region)}</li>)}
      </ul>
    ) : <span class="muted">None</span>],
  ];
}

function regionalKey(arn: string | undefined, region: string | undefined): ComponentChildren {
  return (
    <>
      <span class="mono">{arn}</span> <span class="muted">({region})</span>
    </>
  );
}

function deletionFacts(m: KeyMetadata): Fact[] {
  if (!m.DeletionDate && m.PendingDeletionWindowInDays === undefined) return [];
  return [
    ['Deletion date', formatTime(m.DeletionDate)],
    ...(m.PendingDeletionWindowInDays === undefined ? [] : [['Waiting period', `${m.PendingDeletionWindowInDays} days`] as const]),
  ];
}

/** Where the material lives and, for imported material, when it expires. */
function materialFacts(m: KeyMetadata): Fact[] {
  const facts: Fact[] = [];
  if (m.CurrentKeyMaterialId) facts.push(['Current key material ID', <span class="mono">{m.CurrentKeyMaterialId}</span>]);
  if (m.ExpirationModel) facts.push(['Expiration model', m.ExpirationModel]);
  if (m.ValidTo) facts.push(['Material valid to', formatTime(m.ValidTo)]);
  if (m.CustomKeyStoreId) facts.push(['Custom key store ID', <span class="mono">{m.CustomKeyStoreId}</span>]);
  if (m.CloudHsmClusterId) facts.push(['CloudHSM cluster ID', <span class="mono">{m.CloudHsmClusterId}</span>]);
  if (m.XksKeyConfiguration?.Id) facts.push(['External key ID', <span class="mono">{m.XksKeyConfiguration.Id}</span>]);
  return facts;
}
