import type { KmsOperationName } from '../generated/kms-shapes.js';
import type { Operation } from '../operation.js';
import { CancelKeyDeletion } from './cancel-key-deletion.js';
import { CreateAlias } from './create-alias.js';
import { CreateKey } from './create-key.js';
import { Decrypt } from './decrypt.js';
import { DeleteAlias } from './delete-alias.js';
import { DeriveSharedSecret } from './derive-shared-secret.js';
import { DescribeKey } from './describe-key.js';
import { DisableKey } from './disable-key.js';
import { DisableKeyRotation } from './disable-key-rotation.js';
import { EnableKey } from './enable-key.js';
import { EnableKeyRotation } from './enable-key-rotation.js';
import { Encrypt } from './encrypt.js';
import { GenerateDataKey } from './generate-data-key.js';
import { GenerateDataKeyPair } from './generate-data-key-pair.js';
import { GenerateDataKeyPairWithoutPlaintext } from './generate-data-key-pair-without-plaintext.js';
import { GenerateDataKeyWithoutPlaintext } from './generate-data-key-without-plaintext.js';
import { GenerateMac } from './generate-mac.js';
import { GenerateRandom } from './generate-random.js';
import { GetKeyLastUsage } from './get-key-last-usage.js';
import { GetKeyPolicy } from './get-key-policy.js';
import { GetKeyRotationStatus } from './get-key-rotation-status.js';
import { GetPublicKey } from './get-public-key.js';
import { ListAliases } from './list-aliases.js';
import { ListKeyPolicies } from './list-key-policies.js';
import { ListKeyRotations } from './list-key-rotations.js';
import { ListKeys } from './list-keys.js';
import { ListResourceTags } from './list-resource-tags.js';
import { PutKeyPolicy } from './put-key-policy.js';
import { ReEncrypt } from './re-encrypt.js';
import { RotateKeyOnDemand } from './rotate-key-on-demand.js';
import { ScheduleKeyDeletion } from './schedule-key-deletion.js';
import { Sign } from './sign.js';
import { TagResource } from './tag-resource.js';
import { UntagResource } from './untag-resource.js';
import { UpdateAlias } from './update-alias.js';
import { UpdateKeyDescription } from './update-key-description.js';
import { Verify } from './verify.js';
import { VerifyMac } from './verify-mac.js';
import { CreateGrant } from './create-grant.js';
import { ListGrants } from './list-grants.js';
import { ListRetirableGrants } from './list-retirable-grants.js';
import { RetireGrant } from './retire-grant.js';
import { RevokeGrant } from './revoke-grant.js';
import { DeleteImportedKeyMaterial } from './delete-imported-key-material.js';
import { GetParametersForImport } from './get-parameters-for-import.js';
import { ImportKeyMaterial } from './import-key-material.js';
import { ReplicateKey } from './replicate-key.js';
import { UpdatePrimaryRegion } from './update-primary-region.js';
import { ConnectCustomKeyStore } from './connect-custom-key-store.js';
import { CreateCustomKeyStore } from './create-custom-key-store.js';
import { DeleteCustomKeyStore } from './delete-custom-key-store.js';
import { DescribeCustomKeyStores } from './describe-custom-key-stores.js';
import { DisconnectCustomKeyStore } from './disconnect-custom-key-store.js';
import { UpdateCustomKeyStore } from './update-custom-key-store.js';

/**
 * Each declaration is typed for its own operation; the registry holds them as the operation union. A handler
 * typed for one operation's input is not assignable to the union's (function parameters are contravariant),
 * so the widening is this one cast — sound because the dispatcher only ever runs an operation on input
 * validated against that same operation's shape, and hands its hooks what that same operation's `validate` made.
 */
function widen<Op extends KmsOperationName, Validated>(operation: Operation<Op, Validated>): [string, Operation] {
  return [operation.name, operation as unknown as Operation];
}

/**
 * The explicit allow-list of implemented KMS operations, by name (the `X-Amz-Target` suffix). Together with
 * {@link UNSUPPORTED_OPERATIONS} it names every operation of the model exactly once
 * (test/api/operation-registry.test.ts).
 *
 * @example
 *   const operation = KMS_OPERATIONS.get('Encrypt'); // undefined for an operation not implemented
 */
export const KMS_OPERATIONS: ReadonlyMap<string, Operation> = new Map([
  widen(CancelKeyDeletion),
  widen(CreateAlias),
  widen(CreateKey),
  widen(Decrypt),
  widen(DeleteAlias),
  widen(DeriveSharedSecret),
  widen(DescribeKey),
  widen(DisableKey),
  widen(DisableKeyRotation),
  widen(EnableKey),
  widen(EnableKeyRotation),
  widen(Encrypt),
  widen(GenerateDataKey),
  widen(GenerateDataKeyPair),
  widen(GenerateDataKeyPairWithoutPlaintext),
  widen(GenerateDataKeyWithoutPlaintext),
  widen(GenerateMac),
  widen(GenerateRandom),
  widen(GetKeyLastUsage),
  widen(GetKeyPolicy),
  widen(GetKeyRotationStatus),
  widen(GetPublicKey),
  widen(ListAliases),
  widen(ListKeyPolicies),
  widen(ListKeyRotations),
  widen(ListKeys),
  widen(ListResourceTags),
  widen(PutKeyPolicy),
  widen(ReEncrypt),
  widen(RotateKeyOnDemand),
  widen(ScheduleKeyDeletion),
  widen(Sign),
  widen(TagResource),
  widen(UntagResource),
  widen(UpdateAlias),
  widen(UpdateKeyDescription),
  widen(Verify),
  widen(VerifyMac),
  widen(CreateGrant),
  widen(ListGrants),
  widen(ListRetirableGrants),
  widen(RetireGrant),
  widen(RevokeGrant),
  widen(DeleteImportedKeyMaterial),
  widen(GetParametersForImport),
  widen(ImportKeyMaterial),
  widen(ReplicateKey),
  widen(UpdatePrimaryRegion),
  widen(ConnectCustomKeyStore),
  widen(CreateCustomKeyStore),
  widen(DeleteCustomKeyStore),
  widen(DescribeCustomKeyStores),
  widen(DisconnectCustomKeyStore),
  widen(UpdateCustomKeyStore),
]);

/** What the server says of an operation it does not offer: only whether it would change anything. */
export interface UnsupportedOperation {
  /** CloudTrail's `readOnly` for the refusal's record, as AWS records the operation. */
  readonly readOnly: boolean;
}

/**
 * The operations of the model this server does not offer, answered with `UnsupportedOperationException`
 * (400) rather than AWS's `UnknownOperationException` for a name KMS does not have. Named, not implied by
 * "whatever the registry lacks", so that an operation the model gains is answered by neither until someone
 * decides which list it belongs to — test/api/operation-registry.test.ts fails until then.
 *
 * Empty since custom key stores were built: every operation of the model is offered.
 */
export const UNSUPPORTED_OPERATIONS: ReadonlyMap<string, UnsupportedOperation> = new Map<KmsOperationName, UnsupportedOperation>([]);
