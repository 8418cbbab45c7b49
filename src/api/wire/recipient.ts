import { UnsupportedOperationException } from '../../errors.js';
import type { RecipientInfo } from '../generated/kms-shapes.js';

/**
 * Refuses a `Recipient` (a Nitro Enclave attestation document): answering it means verifying the attestation
 * against AWS's Nitro root of trust, which this server does not do. Refusing beats ignoring it, which would
 * return in plaintext what the caller asked to have encrypted for its enclave.
 */
export function refuseRecipient(recipient: RecipientInfo | undefined): void {
  if (recipient !== undefined) {
    throw new UnsupportedOperationException('Recipient attestation documents are not supported by this server.');
  }
}
