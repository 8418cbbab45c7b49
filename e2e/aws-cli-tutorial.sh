#!/usr/bin/env bash
# The AWS KMS tutorial, with the real AWS CLI against a real Strongroom server.
source "$(dirname "$0")/lib.sh"

echo "# AWS CLI tutorial (symmetric keys)"
start_server --workers 2
use_current_kms_model

identity=$("$AWS_CLI" --endpoint-url "$ENDPOINT" sts get-caller-identity --query Arn --output text)
check_contains "sts get-caller-identity names the account root" ":root" "$identity"

key_id=$(aws_kms create-key --description "tutorial key" --tags TagKey=team,TagValue=platform --query KeyMetadata.KeyId --output text)
check "create-key returns a key id" 36 "${#key_id}"

aws_kms create-alias --alias-name alias/tutorial --target-key-id "$key_id"
check "describe-key by alias" "$key_id" "$(aws_kms describe-key --key-id alias/tutorial --query KeyMetadata.KeyId --output text)"
check "list-aliases with --query" "$key_id" \
  "$(aws_kms list-aliases --query "Aliases[?AliasName=='alias/tutorial'].TargetKeyId" --output text)"
check "list-aliases --key-id" "alias/tutorial" "$(aws_kms list-aliases --key-id "$key_id" --query 'Aliases[0].AliasName' --output text)"
check "key state is Enabled" "Enabled" "$(aws_kms describe-key --key-id "$key_id" --query KeyMetadata.KeyState --output text)"

account=$(echo "$identity" | cut -d: -f5)
cat >"$WORK_DIR/policy.json" <<JSON
{"Version":"2012-10-17","Id":"tutorial","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${account}:root"},"Action":"kms:*","Resource":"*"}]}
JSON
aws_kms put-key-policy --key-id "$key_id" --policy-name default --policy "file://$WORK_DIR/policy.json"
check "get-key-policy returns the policy put" "tutorial" \
  "$(aws_kms get-key-policy --key-id "$key_id" --policy-name default --query Policy --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["Id"])')"

head -c 3000 /dev/urandom >"$WORK_DIR/secret.bin"
aws_kms encrypt --key-id alias/tutorial --plaintext "fileb://$WORK_DIR/secret.bin" \
  --encryption-context purpose=tutorial,team=platform --query CiphertextBlob --output text | base64 -d >"$WORK_DIR/secret.enc"
aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/secret.enc" --encryption-context purpose=tutorial,team=platform \
  --query Plaintext --output text | base64 -d >"$WORK_DIR/secret.out"
check "decrypt returns the file encrypted" "$(sha256sum <"$WORK_DIR/secret.bin")" "$(sha256sum <"$WORK_DIR/secret.out")"
check "decrypt with a changed context fails" InvalidCiphertextException \
  "$(error_code kms decrypt --ciphertext-blob "fileb://$WORK_DIR/secret.enc" --encryption-context purpose=other,team=platform)"
check "decrypt without the context fails" InvalidCiphertextException \
  "$(error_code kms decrypt --ciphertext-blob "fileb://$WORK_DIR/secret.enc")"

aws_kms disable-key --key-id "$key_id"
check "disabled key refuses encrypt" DisabledException \
  "$(error_code kms encrypt --key-id "$key_id" --plaintext fileb://"$WORK_DIR/secret.bin")"
aws_kms enable-key --key-id "$key_id"
check "enabled again" "Enabled" "$(aws_kms describe-key --key-id "$key_id" --query KeyMetadata.KeyState --output text)"

aws_kms rotate-key-on-demand --key-id "$key_id" >/dev/null
check "list-key-rotations shows the on-demand rotation" "ON_DEMAND" \
  "$(aws_kms list-key-rotations --key-id "$key_id" --query 'Rotations[0].RotationType' --output text)"
aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/secret.enc" --encryption-context purpose=tutorial,team=platform \
  --query Plaintext --output text | base64 -d >"$WORK_DIR/secret.after-rotation"
check "the old ciphertext decrypts after rotation" "$(sha256sum <"$WORK_DIR/secret.bin")" "$(sha256sum <"$WORK_DIR/secret.after-rotation")"

aws_kms enable-key-rotation --key-id "$key_id" --rotation-period-in-days 90
check "automatic rotation enabled" "True" "$(aws_kms get-key-rotation-status --key-id "$key_id" --query KeyRotationEnabled --output text)"

check "schedule-key-deletion → PendingDeletion" "PendingDeletion" \
  "$(aws_kms schedule-key-deletion --key-id "$key_id" --pending-window-in-days 7 --query KeyState --output text)"
check "a key pending deletion refuses encrypt" KMSInvalidStateException \
  "$(error_code kms encrypt --key-id "$key_id" --plaintext fileb://"$WORK_DIR/secret.bin")"
aws_kms cancel-key-deletion --key-id "$key_id" >/dev/null
check "cancel-key-deletion leaves the key Disabled" "Disabled" \
  "$(aws_kms describe-key --key-id "$key_id" --query KeyMetadata.KeyState --output text)"

check "a wrong secret is refused" UnrecognizedClientException \
  "$(AWS_ACCESS_KEY_ID=AKIANOTAREALKEY00000 AWS_SECRET_ACCESS_KEY=wrong AWS_DEFAULT_REGION=us-east-1 error_code kms list-keys)"

stop_server
finish
