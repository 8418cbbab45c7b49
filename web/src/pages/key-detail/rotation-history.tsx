import type { RotationsListEntry } from '@aws-sdk/client-kms';
import { formatTime } from '../../ui/forms';

/**
 * Every key material version (ListKeyRotations with ALL_KEY_MATERIAL), oldest first: the first material, which no
 * rotation made, then one line per rotation. Imported material adds its import state and expiry.
 */
export function RotationHistory({ entries, imported }: { entries: readonly RotationsListEntry[]; imported: boolean }) {
  return (
    <>
      <h3>Rotation history</h3>
      {entries.length === 0 ? (
        <p class="empty">No key material yet.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Key material ID</th>
                <th scope="col">State</th>
                <th scope="col">Rotation</th>
                <th scope="col">Rotated</th>
                {imported ? <th scope="col">Import state</th> : null}
                {imported ? <th scope="col">Valid to</th> : null}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.KeyMaterialId}>
                  <td class="mono">{entry.KeyMaterialId}</td>
                  <td>{entry.KeyMaterialState ?? '—'}</td>
                  <td>{rotationLabel(entry)}</td>
                  <td>{formatTime(entry.RotationDate)}</td>
                  {imported ? <td>{entry.ImportState ?? '—'}</td> : null}
                  {imported ? <td>{entry.ExpirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE' ? 'Does not expire' : formatTime(entry.ValidTo)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** How the material came to be: a rotation (automatic or on demand), the key's first material, or an import awaiting "Rotate now". */
function rotationLabel(entry: RotationsListEntry): string {
  if (entry.RotationType === 'AUTOMATIC') return 'Automatic';
  if (entry.RotationType === 'ON_DEMAND') return 'On demand';
  if (entry.RotationType) return entry.RotationType;
  return entry.KeyMaterialState?.startsWith('PENDING') ? 'Awaiting Rotate now' : 'Initial material';
}
