#!/usr/bin/env bash
# Asymmetric signing, offline verification with openssl, and HMAC, with the real AWS CLI against a real server.
source "$(dirname "$0")/lib.sh"

echo "# AWS CLI: asymmetric keys and MACs"
start_server
use_current_kms_model

# Sign and verify with an ECC_NIST_P256 key.
sign_key=$(aws_kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId --output text)
check "describe-key lists ECDSA_SHA_256" "ECDSA_SHA_256" \
  "$(aws_kms describe-key --key-id "$sign_key" --query 'KeyMetadata.SigningAlgorithms[0]' --output text)"
printf 'release v1.2.3 of the artifact\n' >"$WORK_DIR/artifact.txt"
aws_kms sign --key-id "$sign_key" --message "fileb://$WORK_DIR/artifact.txt" --message-type RAW \
  --signing-algorithm ECDSA_SHA_256 --query Signature --output text | base64 -d >"$WORK_DIR/artifact.sig"
check "verify says the signature is valid" "True" \
  "$(aws_kms verify --key-id "$sign_key" --message "fileb://$WORK_DIR/artifact.txt" --message-type RAW \
      --signing-algorithm ECDSA_SHA_256 --signature "fileb://$WORK_DIR/artifact.sig" --query SignatureValid --output text)"
printf 'tampered\n' >"$WORK_DIR/tampered.txt"
check "verify of another message is KMSInvalidSignatureException" KMSInvalidSignatureException \
  "$(error_code kms verify --key-id "$sign_key" --message "fileb://$WORK_DIR/tampered.txt" --message-type RAW \
      --signing-algorithm ECDSA_SHA_256 --signature "fileb://$WORK_DIR/artifact.sig")"

# get-public-key, then verify the signature offline with openssl, as AWS documents.
aws_kms get-public-key --key-id "$sign_key" --query PublicKey --output text | base64 -d >"$WORK_DIR/public.der"
openssl pkey -pubin -inform DER -in "$WORK_DIR/public.der" -out "$WORK_DIR/public.pem" 2>/dev/null
check "openssl dgst -verify accepts the Sign result" "Verified OK" \
  "$(openssl dgst -sha256 -verify "$WORK_DIR/public.pem" -signature "$WORK_DIR/artifact.sig" "$WORK_DIR/artifact.txt")"
check "openssl dgst -verify refuses it for another file" "Verification failure" \
  "$(openssl dgst -sha256 -verify "$WORK_DIR/public.pem" -signature "$WORK_DIR/artifact.sig" "$WORK_DIR/tampered.txt" 2>/dev/null | head -n 1)"

# A digest signed with MessageType DIGEST verifies offline over the original file.
openssl dgst -sha256 -binary "$WORK_DIR/artifact.txt" >"$WORK_DIR/artifact.digest"
aws_kms sign --key-id "$sign_key" --message "fileb://$WORK_DIR/artifact.digest" --message-type DIGEST \
  --signing-algorithm ECDSA_SHA_256 --query Signature --output text | base64 -d >"$WORK_DIR/digest.sig"
check "a DIGEST signature verifies with openssl over the file" "Verified OK" \
  "$(openssl dgst -sha256 -verify "$WORK_DIR/public.pem" -signature "$WORK_DIR/digest.sig" "$WORK_DIR/artifact.txt")"

# RSA-PSS, verified offline with openssl's PSS options.
rsa_key=$(aws_kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId --output text)
aws_kms sign --key-id "$rsa_key" --message "fileb://$WORK_DIR/artifact.txt" --message-type RAW \
  --signing-algorithm RSASSA_PSS_SHA_256 --query Signature --output text | base64 -d >"$WORK_DIR/rsa.sig"
aws_kms get-public-key --key-id "$rsa_key" --query PublicKey --output text | base64 -d >"$WORK_DIR/rsa.der"
openssl pkey -pubin -inform DER -in "$WORK_DIR/rsa.der" -out "$WORK_DIR/rsa.pem" 2>/dev/null
check "openssl verifies an RSASSA_PSS_SHA_256 signature" "Verified OK" \
  "$(openssl dgst -sha256 -verify "$WORK_DIR/rsa.pem" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
      -signature "$WORK_DIR/rsa.sig" "$WORK_DIR/artifact.txt")"
check "a wrong algorithm for the key spec is InvalidKeyUsageException" InvalidKeyUsageException \
  "$(error_code kms sign --key-id "$sign_key" --message "fileb://$WORK_DIR/artifact.txt" --signing-algorithm ECDSA_SHA_384)"

# HMAC: generate-mac, verify-mac, and a mismatch.
mac_key=$(aws_kms create-key --key-spec HMAC_256 --key-usage GENERATE_VERIFY_MAC --query KeyMetadata.KeyId --output text)
aws_kms generate-mac --key-id "$mac_key" --message "fileb://$WORK_DIR/artifact.txt" --mac-algorithm HMAC_SHA_256 \
  --query Mac --output text | base64 -d >"$WORK_DIR/artifact.mac"
check "generate-mac returns a 32-byte tag" 32 "$(wc -c <"$WORK_DIR/artifact.mac" | tr -d ' ')"
check "verify-mac says the MAC is valid" "True" \
  "$(aws_kms verify-mac --key-id "$mac_key" --message "fileb://$WORK_DIR/artifact.txt" --mac-algorithm HMAC_SHA_256 \
      --mac "fileb://$WORK_DIR/artifact.mac" --query MacValid --output text)"
check "verify-mac of another message is KMSInvalidMacException" KMSInvalidMacException \
  "$(error_code kms verify-mac --key-id "$mac_key" --message "fileb://$WORK_DIR/tampered.txt" --mac-algorithm HMAC_SHA_256 \
      --mac "fileb://$WORK_DIR/artifact.mac")"

stop_server
finish
