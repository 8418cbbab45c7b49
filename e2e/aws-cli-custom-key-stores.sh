#!/usr/bin/env bash
# Custom key stores of type AWS_CLOUDHSM (docs/adr/0022) with the real AWS CLI against a real server: the operator
# registers a SoftHSM2 token as an HSM "cluster" (`strongroom hsm register`), then create, connect, keys whose
# AES-GCM runs in the token, disconnect (the keys become Unavailable), reconnect, a wrong password, deletion rules.
source "$(dirname "$0")/lib.sh"

echo "# AWS CLI: custom key stores (AWS_CLOUDHSM) on a SoftHSM2 token"

# SoftHSM2 is required where CI (or STRONGROOM_REQUIRE_SOFTHSM=1, which .ci/run sets) says so, as for test/hsm;
# elsewhere its absence skips this section.
softhsm_module=''
for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so; do
  if [ -e "$candidate" ]; then softhsm_module=$candidate; break; fi
done
if ! command -v softhsm2-util >/dev/null || [ -z "$softhsm_module" ]; then
  message="no SoftHSM2 (softhsm2-util or libsofthsm2.so not found): install Debian's softhsm2 package"
  if [ "${CI:-}" = true ] || [ "${STRONGROOM_REQUIRE_SOFTHSM:-}" = 1 ]; then
    echo "FAIL: $message, and this run requires it (CI=true or STRONGROOM_REQUIRE_SOFTHSM=1)"; exit 1
  fi
  echo "SKIP: $message"; exit 0
fi

# A throwaway token in WORK_DIR with its own configuration, exported before the server starts: SoftHSM reads
# SOFTHSM2_CONF once per process, and the server (like the CLI below) opens the token itself.
token_label=e2e-cluster
token_pin=$(openssl rand -hex 8)
mkdir -p "$WORK_DIR/softhsm/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK_DIR/softhsm/tokens" \
  >"$WORK_DIR/softhsm/softhsm2.conf"
export SOFTHSM2_CONF="$WORK_DIR/softhsm/softhsm2.conf"
if ! softhsm2-util --init-token --free --label "$token_label" --pin "$token_pin" --so-pin "$(openssl rand -hex 8)" >/dev/null; then
  echo "FAIL: softhsm2-util could not initialise a token"; exit 1
fi
# The cluster's trust anchor, the customerCA.crt of a CloudHSM cluster.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj '/CN=Strongroom e2e customer CA' \
  -keyout "$WORK_DIR/customerCA.key" -out "$WORK_DIR/customerCA.crt" 2>/dev/null

start_server
cli() { node "$PROJECT_ROOT/dist/strongroom.js" "$@"; }
sha() { sha256sum <"$1" | cut -d' ' -f1; }
store_state() {
  aws_kms describe-custom-key-stores --custom-key-store-id "$store" --query 'CustomKeyStores[0].[ConnectionState,ConnectionErrorCode]' --output text
}
key_state() { aws_kms describe-key --key-id "$1" --query KeyMetadata.KeyState --output text; }
decrypt_sha() {
  aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/$1" --query Plaintext --output text | base64 -d | sha256sum | cut -d' ' -f1
}
head -c 3000 /dev/urandom >"$WORK_DIR/message.bin"
message_sha=$(sha "$WORK_DIR/message.bin")
cluster=cluster-e2eStrongroom7

echo "# 1. The operator registers the token as a cluster (beside the running server)"
register_output=$(cli hsm register --cluster-id "$cluster" --module "$softhsm_module" --token-label "$token_label" \
  --data-dir "$WORK_DIR/data" 2>&1); register_status=$?
check "strongroom hsm register exits 0" 0 "$register_status"
check_contains "it names the token it found" "Registered cluster $cluster: token \"$token_label\"" "$register_output"
check "strongroom hsm list shows the cluster, its token and module" "$cluster	$token_label	$softhsm_module" \
  "$(cli hsm list --data-dir "$WORK_DIR/data" | cut -f1-3)"
check "registering a token that does not exist fails (exit 1)" 1 \
  "$(cli hsm register --cluster-id cluster-noSuchToken2 --module "$softhsm_module" --token-label no-such-token \
      --data-dir "$WORK_DIR/data" >/dev/null 2>&1; echo $?)"

echo "# 2. Create the store: DISCONNECTED, and no key is made in it yet"
check "create-custom-key-store for an unregistered cluster is CloudHsmClusterNotFoundException" CloudHsmClusterNotFoundException \
  "$(error_code kms create-custom-key-store --custom-key-store-name e2e-store --cloud-hsm-cluster-id cluster-notRegistered2 \
      --trust-anchor-certificate "file://$WORK_DIR/customerCA.crt" --key-store-password "$token_pin")"
store=$(aws_kms create-custom-key-store --custom-key-store-name e2e-store --cloud-hsm-cluster-id "$cluster" \
  --trust-anchor-certificate "file://$WORK_DIR/customerCA.crt" --key-store-password "$token_pin" \
  --query CustomKeyStoreId --output text)
check "the store id is cks- and 17 hex digits" 1 "$(echo "$store" | grep -cE '^cks-[0-9a-f]{17}$')"
check "describe-custom-key-stores shows it DISCONNECTED on the cluster" "e2e-store	AWS_CLOUDHSM	$cluster	DISCONNECTED" \
  "$(aws_kms describe-custom-key-stores --custom-key-store-id "$store" \
      --query 'CustomKeyStores[0].[CustomKeyStoreName,CustomKeyStoreType,CloudHsmClusterId,ConnectionState]' --output text)"
# JSON, not text: the PEM's own final newline would meet the one the text output adds.
check "it returns the trust anchor as given" "$(sha "$WORK_DIR/customerCA.crt")" \
  "$(aws_kms describe-custom-key-stores --custom-key-store-name e2e-store --query 'CustomKeyStores[0].TrustAnchorCertificate' \
      --output json | python3 -c 'import json, sys; sys.stdout.write(json.load(sys.stdin))' | sha256sum | cut -d' ' -f1)"
check "a second store on the same cluster is CloudHsmClusterInUseException" CloudHsmClusterInUseException \
  "$(error_code kms create-custom-key-store --custom-key-store-name other-store --cloud-hsm-cluster-id "$cluster" \
      --trust-anchor-certificate "file://$WORK_DIR/customerCA.crt" --key-store-password "$token_pin")"
check "create-key in the disconnected store is CustomKeyStoreInvalidStateException" CustomKeyStoreInvalidStateException \
  "$(error_code kms create-key --custom-key-store-id "$store" --origin AWS_CLOUDHSM)"

echo "# 3. Connect, and keys whose cryptography runs in the token"
aws_kms connect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "connect-custom-key-store → CONNECTED" "CONNECTED	None" "$(store_state)"
read -r key key_arn < <(aws_kms create-key --custom-key-store-id "$store" --origin AWS_CLOUDHSM --description "in the HSM" \
  --query 'KeyMetadata.[KeyId,Arn]' --output text)
check "describe-key shows the store, the cluster and Origin AWS_CLOUDHSM" "$store	$cluster	AWS_CLOUDHSM	Enabled	SYMMETRIC_DEFAULT" \
  "$(aws_kms describe-key --key-id "$key" \
      --query 'KeyMetadata.[CustomKeyStoreId,CloudHsmClusterId,Origin,KeyState,KeySpec]' --output text)"
check "an asymmetric key in the store is UnsupportedOperationException" UnsupportedOperationException \
  "$(error_code kms create-key --custom-key-store-id "$store" --origin AWS_CLOUDHSM --key-spec RSA_2048 --key-usage SIGN_VERIFY)"
aws_kms encrypt --key-id "$key" --plaintext "fileb://$WORK_DIR/message.bin" --encryption-context purpose=e2e \
  --query CiphertextBlob --output text | base64 -d >"$WORK_DIR/message.enc"
check "decrypt returns the file encrypted under the store key" "$message_sha" \
  "$(aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/message.enc" --encryption-context purpose=e2e \
      --query Plaintext --output text | base64 -d | sha256sum | cut -d' ' -f1)"
check "decrypt names the store key" "$key_arn" \
  "$(aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/message.enc" --encryption-context purpose=e2e --query KeyId --output text)"
check "decrypt with another encryption context is InvalidCiphertextException" InvalidCiphertextException \
  "$(error_code kms decrypt --ciphertext-blob "fileb://$WORK_DIR/message.enc" --encryption-context purpose=other)"
read -r data_key data_blob < <(aws_kms generate-data-key --key-id "$key" --key-spec AES_256 \
  --query '[Plaintext,CiphertextBlob]' --output text)
echo "$data_blob" | base64 -d >"$WORK_DIR/data-key.enc"
check "generate-data-key's blob decrypts to its plaintext key" "$data_key" \
  "$(aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/data-key.enc" --query Plaintext --output text)"
check "generate-random --custom-key-store-id returns 32 bytes from the token" 32 \
  "$(aws_kms generate-random --number-of-bytes 32 --custom-key-store-id "$store" --query Plaintext --output text | base64 -d | wc -c | tr -d ' ')"
check "enable-key-rotation of a store key is UnsupportedOperationException" UnsupportedOperationException \
  "$(error_code kms enable-key-rotation --key-id "$key")"

echo "# 4. Disconnected, the store's keys are Unavailable; reconnected, they work again"
aws_kms disconnect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "disconnect-custom-key-store → DISCONNECTED" "DISCONNECTED	None" "$(store_state)"
check "describe-key shows KeyState Unavailable, not enabled" "Unavailable	False" \
  "$(aws_kms describe-key --key-id "$key" --query 'KeyMetadata.[KeyState,Enabled]' --output text)"
check "encrypt is KeyUnavailableException" KeyUnavailableException \
  "$(error_code kms encrypt --key-id "$key" --plaintext "fileb://$WORK_DIR/message.bin")"
check "decrypt is KeyUnavailableException" KeyUnavailableException \
  "$(error_code kms decrypt --ciphertext-blob "fileb://$WORK_DIR/data-key.enc")"
check "generate-random in the disconnected store is CustomKeyStoreInvalidStateException" CustomKeyStoreInvalidStateException \
  "$(error_code kms generate-random --number-of-bytes 8 --custom-key-store-id "$store")"
aws_kms connect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "reconnected: the key is Enabled" Enabled "$(key_state "$key")"
check "the earlier data key's blob decrypts again" "$data_key" \
  "$(aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/data-key.enc" --query Plaintext --output text)"

echo "# 5. A wrong password fails the connection with INVALID_CREDENTIALS"
check "update-custom-key-store while connected is CustomKeyStoreInvalidStateException" CustomKeyStoreInvalidStateException \
  "$(error_code kms update-custom-key-store --custom-key-store-id "$store" --key-store-password not-the-pin)"
aws_kms disconnect-custom-key-store --custom-key-store-id "$store" >/dev/null
aws_kms update-custom-key-store --custom-key-store-id "$store" --key-store-password not-the-pin >/dev/null
aws_kms connect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "connecting with the wrong password → FAILED, INVALID_CREDENTIALS" "FAILED	INVALID_CREDENTIALS" "$(store_state)"
check "the key stays Unavailable" Unavailable "$(key_state "$key")"
aws_kms disconnect-custom-key-store --custom-key-store-id "$store" >/dev/null
aws_kms update-custom-key-store --custom-key-store-id "$store" --key-store-password "$token_pin" --new-custom-key-store-name e2e-store-2 >/dev/null
aws_kms connect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "with the right password again: CONNECTED, renamed" "CONNECTED	e2e-store-2" \
  "$(aws_kms describe-custom-key-stores --custom-key-store-id "$store" \
      --query 'CustomKeyStores[0].[ConnectionState,CustomKeyStoreName]' --output text)"
check "the first ciphertext still decrypts" "$message_sha" \
  "$(aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/message.enc" --encryption-context purpose=e2e \
      --query Plaintext --output text | base64 -d | sha256sum | cut -d' ' -f1)"

echo "# 6. Deletion: a store is deleted only disconnected and without keys"
check "schedule-key-deletion --pending-window-in-days 7 → PendingDeletion" PendingDeletion \
  "$(aws_kms schedule-key-deletion --key-id "$key" --pending-window-in-days 7 --query KeyState --output text)"
check "delete-custom-key-store while connected is CustomKeyStoreInvalidStateException" CustomKeyStoreInvalidStateException \
  "$(error_code kms delete-custom-key-store --custom-key-store-id "$store")"
aws_kms disconnect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "a key pending deletion stays PendingDeletion while the store is disconnected" PendingDeletion "$(key_state "$key")"
check "delete-custom-key-store with a key pending deletion is CustomKeyStoreHasCMKsException" CustomKeyStoreHasCMKsException \
  "$(error_code kms delete-custom-key-store --custom-key-store-id "$store")"
check "strongroom hsm remove of the cluster a store uses fails (exit 1)" 1 \
  "$(cli hsm remove --cluster-id "$cluster" --data-dir "$WORK_DIR/data" >/dev/null 2>&1; echo $?)"

echo "# 7. The password stays secret"
check "describe-custom-key-stores never returns it" 0 \
  "$(aws_kms describe-custom-key-stores --output json | grep -c "$token_pin")"
check "the server's output does not contain it" 0 "$(cat "$WORK_DIR/server.out" "$WORK_DIR/server.err" | grep -c "$token_pin")"
check "no file in the data directory (store, audit trail) contains it" 0 "$(grep -rl "$token_pin" "$WORK_DIR/data" | wc -l | tr -d ' ')"

stop_server
finish
