#!/usr/bin/env bash
# External key stores (docs/external-key-stores.md, docs/xks-proxy.md, ADR 0023) with the real AWS CLI against two
# real servers: B serves the XKS proxy API over HTTPS, A has a custom key store of type EXTERNAL_KEY_STORE pointing at
# it. Encrypt on A is visible in B's audit trail; B's key disabled fails A's Decrypt with AWS's error; B stopped fails
# A promptly, and restarted, A reconnects by itself; the credential's secret is written nowhere.
source "$(dirname "$0")/lib.sh"

echo "# AWS CLI: external key stores (A's EXTERNAL_KEY_STORE through B's XKS proxy)"

region=eu-west-1
cli() { node "$PROJECT_ROOT/dist/strongroom.js" "$@"; }
sha() { sha256sum <"$1" | cut -d' ' -f1; }
millis() { date +%s%3N; }
head -c 3000 /dev/urandom >"$WORK_DIR/message.bin"
message_sha=$(sha "$WORK_DIR/message.bin")

echo "# 1. Server B: the XKS proxy, a credential, a key whose policy lets the credential's user use it"
b_data="$WORK_DIR/b-data"
start_other_server b "$b_data" 0 --xks-proxy --tls-self-signed
b_pid=$OTHER_PID
b_endpoint=$OTHER_ENDPOINT
b_port=${b_endpoint##*:}
# B's administrator, its self-signed certificate (B's data directory's tls.crt) trusted by the CLI.
aws_b() {
  AWS_SHARED_CREDENTIALS_FILE="$b_data/credentials" "$AWS_CLI" --endpoint-url "$b_endpoint" --ca-bundle "$b_data/tls.crt" \
    --region "$region" "$@"
}
check "B serves HTTPS with its self-signed certificate" "https://127.0.0.1:$b_port" "$b_endpoint"
check_contains "B announces the XKS proxy API" "XKS proxy API at https://127.0.0.1:$b_port/xks/kms/xks/v1" "$(cat "$WORK_DIR/b.out")"
b_account=$(aws_b sts get-caller-identity --query Account --output text)

credential_json=$(cli xks create-credential --data-dir "$b_data" 2>"$WORK_DIR/create-credential.err"); credential_status=$?
check "strongroom xks create-credential exits 0" 0 "$credential_status"
check_contains "it names the IAM user the credential acts as" "arn:aws:iam::$b_account:user/xks-proxy" \
  "$(cat "$WORK_DIR/create-credential.err")"
read -r xks_path xks_access_key_id xks_secret < <(echo "$credential_json" | python3 -c '
import json, sys
printed = json.load(sys.stdin)
credential = printed["XksProxyAuthenticationCredential"]
print(printed["XksProxyUriPath"], credential["AccessKeyId"], credential["RawSecretAccessKey"])')
check "it prints the proxy configuration: the URI path" /xks/kms/xks/v1 "$xks_path"
check "and an access key id of 20-30 characters of A-Z2-7" 1 "$(echo "$xks_access_key_id" | grep -cE '^[A-Z2-7]{20,30}$')"
check "and a secret (Base64 of 32 bytes)" 32 "$(printf '%s' "$xks_secret" | base64 -d 2>/dev/null | wc -c | tr -d ' ')"
check_contains "strongroom xks list shows the credential and its user" "$xks_access_key_id	$b_account	xks-proxy" \
  "$(cli xks list --data-dir "$b_data")"

read -r b_key b_key_arn < <(aws_b kms create-key --description "the external key, in B" --query 'KeyMetadata.[KeyId,Arn]' --output text)
cat >"$WORK_DIR/b-key-policy.json" <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Enable IAM User Permissions", "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::$b_account:root" }, "Action": "kms:*", "Resource": "*" },
    { "Sid": "Allow the XKS proxy credential", "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::$b_account:user/xks-proxy" },
      "Action": ["kms:DescribeKey", "kms:Encrypt", "kms:Decrypt"], "Resource": "*" }
  ]
}
EOF
aws_b kms put-key-policy --key-id "$b_key" --policy-name default --policy "file://$WORK_DIR/b-key-policy.json"
check "B's key policy names the credential's user" 1 \
  "$(aws_b kms get-key-policy --key-id "$b_key" --policy-name default --query Policy --output text | grep -c ":user/xks-proxy")"

echo "# 2. Server A: an external key store pointing at B, a key in it, a round trip"
# A trusts B's certificate through NODE_EXTRA_CA_CERTS, which Node reads once at start.
NODE_EXTRA_CA_CERTS="$b_data/tls.crt" start_server
export AWS_DEFAULT_REGION=$region
b_uri_endpoint="https://localhost:$b_port"
create_store_args=(--custom-key-store-type EXTERNAL_KEY_STORE --xks-proxy-uri-endpoint "$b_uri_endpoint"
  --xks-proxy-uri-path "$xks_path" --xks-proxy-connectivity PUBLIC_ENDPOINT)
store_state() {
  aws_kms describe-custom-key-stores --custom-key-store-id "$store" \
    --query 'CustomKeyStores[0].[ConnectionState,ConnectionErrorCode]' --output text
}
key_state() { aws_kms describe-key --key-id "$1" --query KeyMetadata.KeyState --output text; }
# decrypt_sha FILE [decrypt options]: the SHA-256 of what A decrypts FILE to.
decrypt_sha() {
  local file=$1; shift
  aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/$file" "$@" --query Plaintext --output text | base64 -d | sha256sum | cut -d' ' -f1
}
# error_message ARGS...: the message of a failing CLI call against A ("" when it succeeds).
error_message() {
  local output
  if output=$("$AWS_CLI" --endpoint-url "$ENDPOINT" "$@" 2>&1); then echo ''; return; fi
  echo "$output" | sed -n 's/.*operation: //p' | head -n 1
}

check "a wrong secret is XksProxyIncorrectAuthenticationCredentialException" XksProxyIncorrectAuthenticationCredentialException \
  "$(error_code kms create-custom-key-store --custom-key-store-name e2e-wrong "${create_store_args[@]}" \
      --xks-proxy-authentication-credential "AccessKeyId=$xks_access_key_id,RawSecretAccessKey=$(openssl rand -base64 32)")"
check "a path B does not serve is XksProxyInvalidConfigurationException" XksProxyInvalidConfigurationException \
  "$(error_code kms create-custom-key-store --custom-key-store-name e2e-wrong --custom-key-store-type EXTERNAL_KEY_STORE \
      --xks-proxy-uri-endpoint "$b_uri_endpoint" --xks-proxy-uri-path /elsewhere/kms/xks/v1 --xks-proxy-connectivity PUBLIC_ENDPOINT \
      --xks-proxy-authentication-credential "AccessKeyId=$xks_access_key_id,RawSecretAccessKey=$xks_secret")"
store=$(aws_kms create-custom-key-store --custom-key-store-name e2e-external "${create_store_args[@]}" \
  --xks-proxy-authentication-credential "AccessKeyId=$xks_access_key_id,RawSecretAccessKey=$xks_secret" \
  --query CustomKeyStoreId --output text)
check "the store id is cks- and 17 hex digits" 1 "$(echo "$store" | grep -cE '^cks-[0-9a-f]{17}$')"
check "describe-custom-key-stores shows it DISCONNECTED, with B's endpoint, path and access key id" \
  "e2e-external	EXTERNAL_KEY_STORE	DISCONNECTED	$b_uri_endpoint	$xks_path	PUBLIC_ENDPOINT	$xks_access_key_id" \
  "$(aws_kms describe-custom-key-stores --custom-key-store-id "$store" --query 'CustomKeyStores[0].[CustomKeyStoreName,CustomKeyStoreType,
      ConnectionState,XksProxyConfiguration.UriEndpoint,XksProxyConfiguration.UriPath,XksProxyConfiguration.Connectivity,
      XksProxyConfiguration.AccessKeyId]' --output text)"
check "describe-custom-key-stores never returns the secret" 0 \
  "$(aws_kms describe-custom-key-stores --output json | grep -cF -- "$xks_secret")"
check "create-key in the disconnected store is CustomKeyStoreInvalidStateException" CustomKeyStoreInvalidStateException \
  "$(error_code kms create-key --origin EXTERNAL_KEY_STORE --custom-key-store-id "$store" --xks-key-id "$b_key")"

aws_kms connect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "connect-custom-key-store → CONNECTED" "CONNECTED	None" "$(store_state)"
check "an external key B does not have is XksKeyNotFoundException" XksKeyNotFoundException \
  "$(error_code kms create-key --origin EXTERNAL_KEY_STORE --custom-key-store-id "$store" --xks-key-id no-such-key)"
read -r key key_arn < <(aws_kms create-key --origin EXTERNAL_KEY_STORE --custom-key-store-id "$store" --xks-key-id "$b_key" \
  --description "double encrypted" --query 'KeyMetadata.[KeyId,Arn]' --output text)
check "describe-key shows Origin EXTERNAL_KEY_STORE, the store and XksKeyConfiguration.Id (B's key)" \
  "EXTERNAL_KEY_STORE	$store	$b_key	Enabled" \
  "$(aws_kms describe-key --key-id "$key" \
      --query 'KeyMetadata.[Origin,CustomKeyStoreId,XksKeyConfiguration.Id,KeyState]' --output text)"
check "a second key on the same external key is XksKeyAlreadyInUseException" XksKeyAlreadyInUseException \
  "$(error_code kms create-key --origin EXTERNAL_KEY_STORE --custom-key-store-id "$store" --xks-key-id "$b_key")"

# --debug logs the response headers on standard error: the request id A answered with, which A sends B as kmsRequestId.
aws_kms encrypt --key-id "$key" --plaintext "fileb://$WORK_DIR/message.bin" --encryption-context purpose=e2e \
  --query CiphertextBlob --output text --debug 2>"$WORK_DIR/encrypt.debug" | base64 -d >"$WORK_DIR/message.enc"
encrypt_request_id=$(grep -io "'x-amzn-requestid': '[^']*'" "$WORK_DIR/encrypt.debug" | tail -n 1 | cut -d"'" -f4)
rm -f "$WORK_DIR/encrypt.debug"
check "encrypt answered with a request id" 1 "$(echo "$encrypt_request_id" | grep -c .)"
check "decrypt returns the file encrypted under the external key store's key" "$message_sha" \
  "$(decrypt_sha message.enc --encryption-context purpose=e2e)"
check "decrypt with another encryption context is InvalidCiphertextException" InvalidCiphertextException \
  "$(error_code kms decrypt --ciphertext-blob "fileb://$WORK_DIR/message.enc" --encryption-context purpose=other)"
read -r data_key data_blob < <(aws_kms generate-data-key --key-id "$key" --key-spec AES_256 \
  --query '[Plaintext,CiphertextBlob]' --output text)
echo "$data_blob" | base64 -d >"$WORK_DIR/data-key.enc"
check "generate-data-key's blob decrypts to its plaintext key" "$data_key" \
  "$(aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/data-key.enc" --query Plaintext --output text)"

echo "# 3. B's audit trail shows A's Encrypt"
xks_encrypt_record=$(aws_b cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=XksEncrypt \
  --query 'Events[].CloudTrailEvent' --output json | REQUEST_ID="$encrypt_request_id" python3 -c '
import json, os, sys
records = [json.loads(event) for event in json.load(sys.stdin)]
mine = [r for r in records if r["requestParameters"]["requestMetadata"].get("kmsRequestId") == os.environ["REQUEST_ID"]]
for r in mine:
    sent = r["requestParameters"]["requestMetadata"]
    print(r["eventName"], sent["kmsOperation"], sent["kmsKeyArn"], sent["awsPrincipalArn"], r["userIdentity"]["arn"],
          r["userIdentity"]["accessKeyId"], r["requestParameters"]["keyId"], r["resources"][0]["ARN"], r["awsRegion"])')
a_account=$(echo "$key_arn" | cut -d: -f5)
check "one XksEncrypt record in B's trail carries A's encrypt request id as kmsRequestId, kmsOperation Encrypt" \
  "XksEncrypt Encrypt $key_arn arn:aws:iam::$a_account:root arn:aws:iam::$b_account:user/xks-proxy $xks_access_key_id $b_key $b_key_arn $region" \
  "$xks_encrypt_record"
check "A's own trail has the Encrypt with the same request id" 1 \
  "$("$AWS_CLI" --endpoint-url "$ENDPOINT" cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Encrypt \
      --query 'Events[].CloudTrailEvent' --output json | REQUEST_ID="$encrypt_request_id" python3 -c '
import json, os, sys
print(sum(json.loads(event).get("requestID") == os.environ["REQUEST_ID"] for event in json.load(sys.stdin)))')"

echo "# 4. B's key disabled: A's Decrypt fails with AWS's error; enabled again, it works"
aws_b kms disable-key --key-id "$b_key"
check "decrypt on A is KMSInvalidStateException" KMSInvalidStateException \
  "$(error_code kms decrypt --ciphertext-blob "fileb://$WORK_DIR/message.enc" --encryption-context purpose=e2e)"
check_contains "its message says the key is not enabled in the external key manager" "not enabled in the external key manager" \
  "$(error_message kms decrypt --ciphertext-blob "fileb://$WORK_DIR/message.enc" --encryption-context purpose=e2e)"
check "the failed call is in B's trail as an XksDecrypt with InvalidStateException" InvalidStateException \
  "$(aws_b cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=XksDecrypt \
      --query 'Events[0].CloudTrailEvent' --output text | python3 -c 'import json, sys; print(json.load(sys.stdin).get("errorCode"))')"
aws_b kms enable-key --key-id "$b_key"
check "B's key enabled again: decrypt on A works" "$message_sha" \
  "$(decrypt_sha message.enc --encryption-context purpose=e2e)"

echo "# 5. B stopped: A fails promptly; B restarted on its port: A reconnects by itself"
stop_other_server b "$b_pid"
started_at=$(millis)
check "encrypt on A is KMSInvalidStateException" KMSInvalidStateException \
  "$(error_code kms encrypt --key-id "$key" --plaintext "fileb://$WORK_DIR/message.bin")"
elapsed=$(($(millis) - started_at))
check "within 5 s (took ${elapsed} ms)" 1 "$([ "$elapsed" -lt 5000 ] && echo 1 || echo 0)"
check_contains "its message says A cannot communicate with the proxy" "cannot communicate with the external key store proxy" \
  "$(error_message kms encrypt --key-id "$key" --plaintext "fileb://$WORK_DIR/message.bin")"
check "the store stays CONNECTED meanwhile (only connect and disconnect change that)" "CONNECTED	None" "$(store_state)"
start_other_server b "$b_data" "$b_port" --xks-proxy --tls-self-signed
b_pid=$OTHER_PID
check "B restarts on the same port" "$b_endpoint" "$OTHER_ENDPOINT"
check "describe-custom-key-stores: CONNECTED" "CONNECTED	None" "$(store_state)"
check "the earlier ciphertext decrypts again" "$message_sha" \
  "$(decrypt_sha message.enc --encryption-context purpose=e2e)"
check "and the data key's blob" "$data_key" \
  "$(aws_kms decrypt --ciphertext-blob "fileb://$WORK_DIR/data-key.enc" --query Plaintext --output text)"

echo "# 6. Disconnected, the store's keys are Unavailable; connected again, they work"
aws_kms disconnect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "disconnect-custom-key-store → DISCONNECTED" "DISCONNECTED	None" "$(store_state)"
check "describe-key shows KeyState Unavailable" Unavailable "$(key_state "$key")"
check "encrypt is KMSInvalidStateException" KMSInvalidStateException \
  "$(error_code kms encrypt --key-id "$key" --plaintext "fileb://$WORK_DIR/message.bin")"
check_contains "its message says the key is not connected to its proxy" "not connected to its external key store proxy" \
  "$(error_message kms encrypt --key-id "$key" --plaintext "fileb://$WORK_DIR/message.bin")"
aws_kms connect-custom-key-store --custom-key-store-id "$store" >/dev/null
check "connect-custom-key-store → CONNECTED" "CONNECTED	None" "$(store_state)"
check "the key is Enabled" Enabled "$(key_state "$key")"
check "the first ciphertext decrypts" "$message_sha" \
  "$(decrypt_sha message.enc --encryption-context purpose=e2e)"

stop_other_server b "$b_pid"
stop_server

echo "# 7. The XKS secret is written nowhere"
check "no file in A's data directory (store, audit trail) contains it" 0 "$(grep -rlF -- "$xks_secret" "$WORK_DIR/data" | wc -l | tr -d ' ')"
check "no file in B's data directory contains it" 0 "$(grep -rlF -- "$xks_secret" "$b_data" | wc -l | tr -d ' ')"
check "neither server's output contains it" 0 \
  "$(cat "$WORK_DIR/server.out" "$WORK_DIR/server.err" "$WORK_DIR/b.out" "$WORK_DIR/b.err" | grep -cF -- "$xks_secret")"

finish
