import type { KmsKey } from '../../keys/key.js';
import type { XksCallContext } from './xks-call-context.js';
import { authorizeOnKey, isAesKey, keyStateOf, mayOnKey } from './xks-key-access.js';
import type { XksMetadataResponse } from '../xks-wire.js';

/**
 * The specification's GetKeyMetadata, authorized as `kms:DescribeKey`:
 * - `keySpec`: `AES_256` for a symmetric encryption key; any other key's Strongroom key spec (AWS KMS then refuses to
 *   make a key of it, as the specification says it refuses anything but `AES_256`);
 * - `keyUsage`: what this credential may do with the key — `ENCRYPT` if its user may `kms:Encrypt` with it, `DECRYPT`
 *   if it may `kms:Decrypt` (none for any other kind of key), so an encrypt-only key says so before it is used;
 * - `keyStatus`: `ENABLED` for a key in state `Enabled`, else `DISABLED` (disabled, pending deletion or import,
 *   unavailable while its custom key store is disconnected).
 */
export async function xksGetKeyMetadata(context: XksCallContext, key: KmsKey): Promise<XksMetadataResponse> {
  await authorizeOnKey(context, key, 'kms:DescribeKey');
  const aes = isAesKey(key) && key.origin !== 'EXTERNAL_KEY_STORE';
  const keyUsage: string[] = [];
  if (aes && (await mayOnKey(context, key, 'kms:Encrypt'))) keyUsage.push('ENCRYPT');
  if (aes && (await mayOnKey(context, key, 'kms:Decrypt'))) keyUsage.push('DECRYPT');
  return {
    keySpec: isAesKey(key) ? 'AES_256' : key.spec,
    keyUsage,
    keyStatus: (await keyStateOf(context, key)) === 'Enabled' ? 'ENABLED' : 'DISABLED',
  };
}
