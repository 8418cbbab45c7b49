import type { SkippedCase } from './recorded-case.js';

const PSS_DIGEST = 'Covered by test/api/asymmetric/pss-digest.test.ts (Sign/Verify with RSASSA_PSS_* and MessageType DIGEST belong to that work).';

/**
 * The recorded answers of LocalStack's snapshot file that this suite does not run, each with its reason, so
 * that the table plus this list account for every recording.
 */
export const OUT_OF_SCOPE: readonly SkippedCase[] = [
  {
    recorded: 'test_rotate_key_on_demand_raises_error_given_key_with_imported_key_material/error-response',
    reason:
      'Stale entry of the snapshot file, recorded on 8 March 2025: the test no longer exists in test_kms.py. It ' +
      "recorded UnsupportedOperationException '<key-arn> origin is EXTERNAL which is not valid for this operation.' " +
      'from before AWS supported rotating imported key material; AWS now rotates it on demand after a ' +
      'NEW_KEY_MATERIAL import, as test_rotate_key_on_demand_updates_current_key_material_for_external_keys ' +
      'recorded in November 2025 (replayed in import-and-multi-region-answers.ts).',
  },
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
