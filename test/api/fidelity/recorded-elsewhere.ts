import type { SkippedCase } from './recorded-case.js';

const IMPORT = 'GetParametersForImport, ImportKeyMaterial and DeleteImportedKeyMaterial are not implemented (UnsupportedOperationException); CreateKey refuses Origin EXTERNAL.';
const MULTI_REGION = 'Multi-Region keys are not implemented: CreateKey refuses MultiRegion true and ReplicateKey answers UnsupportedOperationException (multi-Region keys have an issue of their own).';
const PSS_DIGEST = 'Covered by test/api/asymmetric/pss-digest.test.ts (Sign/Verify with RSASSA_PSS_* and MessageType DIGEST belong to that work).';

/**
 * The recorded answers of LocalStack's snapshot file that this suite does not run, each with its reason, so
 * that the table plus this list account for every recording.
 */
export const OUT_OF_SCOPE: readonly SkippedCase[] = [
  ...[
    'test_import_key_symmetric/created-key',
    'test_import_key_symmetric/encrypt-before-import-error',
    'test_import_key_symmetric/describe-key-before-import',
    'test_import_key_symmetric/import-expiring-key-without-valid-to',
    'test_import_key_symmetric/describe-key-after-import',
    'test_import_key_symmetric/describe-key-after-deleted-import',
    'test_import_key_symmetric/encrypt-after-delete-error',
    'test_import_key_asymmetric/*',
    'test_import_key_rsa_aes_wrap_sha256/*',
    'test_import_key_ecc_keys[*]/*',
    'test_import_key_hmac_keys[*]/*',
    'test_get_parameters_for_import/response-error',
    'test_get_parameters_for_import_raises_for_non_external_kms_keys/get-import-parameters-error',
    'test_rotate_key_on_demand_raises_error_given_key_with_imported_key_material/error-response',
    'test_rotate_key_on_demand_on_external_key_with_no_key_material[SYMMETRIC_DEFAULT]/*',
    'test_rotate_key_on_demand_on_external_key_with_no_key_material[RSA_4096]/*',
    'test_rotate_key_on_demand_updates_current_key_material_for_external_keys/*',
    'test_rotate_key_on_demand_for_external_keys_decrypts_with_previous_material/*',
    'test_import_key_material_raises_if_there_is_already_key_material_pending/*',
    'test_rotate_key_on_demand_raises_for_no_pending_key_material/rotate-key-on-demand-invalid-state-error',
  ].map((recorded) => ({ recorded, reason: IMPORT })),
  ...[
    'test_create_multi_region_key/create_multi_region_key',
    'test_replicate_key/*',
    'test_replicate_replica_key_should_fail/fail-replicate-non-primary-key',
  ].map((recorded) => ({ recorded, reason: MULTI_REGION })),
  ...[
    'test_sign_verify[RSA_2048-RSASSA_PSS_SHA_256]/bad-digest',
    'test_sign_verify[RSA_2048-RSASSA_PSS_SHA_384]/bad-digest',
    'test_sign_verify[RSA_2048-RSASSA_PSS_SHA_512]/bad-digest',
  ].map((recorded) => ({ recorded, reason: PSS_DIGEST })),
  {
    recorded: 'test_sign_verify[ECC_NIST_P256-ECDSA_SHA_384], test_sign_verify[ECC_SECG_P256K1-ECDSA_SHA_512]',
    reason: 'Stale entries of the snapshot file with no recorded content (the test no longer has these pairs).',
  },
  {
    recorded: 'test_verify_salt_length[*]',
    reason: 'No recorded content: the test checks signatures locally with the public key; our interop tests do the same with openssl.',
  },
];
