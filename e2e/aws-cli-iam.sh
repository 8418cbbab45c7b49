#!/usr/bin/env bash
# Identities with the real AWS CLI against a real Strongroom server: IAM users, access keys and inline
# policies, a user calling KMS with its own key, roles and `sts assume-role`.
source "$(dirname "$0")/lib.sh"

echo "# AWS CLI: IAM users, roles and STS AssumeRole"
start_server --workers 1

aws_as_admin() { "$AWS_CLI" --endpoint-url "$ENDPOINT" "$@"; }
# IAM's and STS's error codes carry no Exception/Error suffix (NoSuchEntity, AccessDenied): read the code the
# CLI prints ("An error occurred (NoSuchEntity) when calling ..."), "" when the call succeeds.
error_code() {
  local output
  if output=$("$AWS_CLI" --endpoint-url "$ENDPOINT" "$@" 2>&1); then echo ''; return; fi
  echo "$output" | grep -o 'An error occurred ([A-Za-z]*)' | head -n 1 | sed 's/.*(\(.*\))/\1/'
}
account=$(aws_as_admin sts get-caller-identity --query Account --output text)

# A user with an access key.
check "iam create-user" "arn:aws:iam::${account}:user/app" \
  "$(aws_as_admin iam create-user --user-name app --query User.Arn --output text)"
check "create-user again is EntityAlreadyExists" EntityAlreadyExists "$(error_code iam create-user --user-name APP)"
check "get-user of nobody is NoSuchEntity" NoSuchEntity "$(error_code iam get-user --user-name nobody)"
read -r app_key app_secret < <(aws_as_admin iam create-access-key --user-name app \
  --query '[AccessKey.AccessKeyId, AccessKey.SecretAccessKey]' --output text)
check "create-access-key issues an AKIA key" AKIA "${app_key:0:4}"
check "list-access-keys shows it" "$app_key" \
  "$(aws_as_admin iam list-access-keys --user-name app --query 'AccessKeyMetadata[0].AccessKeyId' --output text)"
cat >"$WORK_DIR/app-credentials" <<INI
[app]
aws_access_key_id = ${app_key}
aws_secret_access_key = ${app_secret}
region = us-east-1
INI
aws_as_app() { AWS_SHARED_CREDENTIALS_FILE="$WORK_DIR/app-credentials" AWS_PROFILE=app "$AWS_CLI" --endpoint-url "$ENDPOINT" "$@"; }
check "the user's key authenticates as the user" "arn:aws:iam::${account}:user/app" \
  "$(aws_as_app sts get-caller-identity --query Arn --output text)"

# Without a policy the user may not manage identities; with one it may.
denied=$(aws_as_app iam create-user --user-name intruder 2>&1)
check_contains "a user without policies is denied iam:CreateUser" "(AccessDenied)" "$denied"
cat >"$WORK_DIR/app-policy.json" <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:*","iam:ListUsers","sts:AssumeRole"],"Resource":"*"}]}
JSON
aws_as_admin iam put-user-policy --user-name app --policy-name app-access --policy-document "file://$WORK_DIR/app-policy.json"
check "get-user-policy returns the document (decoded by the CLI)" "app-access" \
  "$(aws_as_admin iam get-user-policy --user-name app --policy-name app-access --query PolicyName --output text)"
check "with the policy the user lists users" "app" \
  "$(aws_as_app iam list-users --query "Users[?UserName=='app'].UserName" --output text)"
check "malformed policies are MalformedPolicyDocument" MalformedPolicyDocument \
  "$(error_code iam put-user-policy --user-name app --policy-name bad --policy-document '{"Statement":[{"Effect":"Allow"}]}')"

# The user calls KMS with its own key.
key_id=$(aws_as_app kms create-key --description "app key" --query KeyMetadata.KeyId --output text)
check "the user creates a key" 36 "${#key_id}"
echo -n "hello from app" >"$WORK_DIR/plain.txt"
aws_as_app kms encrypt --key-id "$key_id" --plaintext "fileb://$WORK_DIR/plain.txt" --query CiphertextBlob --output text \
  | base64 -d >"$WORK_DIR/cipher.bin"
check "the user decrypts what it encrypted" "hello from app" \
  "$(aws_as_app kms decrypt --ciphertext-blob "fileb://$WORK_DIR/cipher.bin" --query Plaintext --output text | base64 -d)"

# A role the user may assume.
cat >"$WORK_DIR/trust.json" <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${account}:user/app"},"Action":"sts:AssumeRole"}]}
JSON
check "iam create-role" "arn:aws:iam::${account}:role/deployer" \
  "$(aws_as_admin iam create-role --role-name deployer --assume-role-policy-document "file://$WORK_DIR/trust.json" --query Role.Arn --output text)"
aws_as_admin iam put-role-policy --role-name deployer --policy-name kms --policy-document "file://$WORK_DIR/app-policy.json"
check "root may not assume roles" AccessDenied \
  "$(error_code sts assume-role --role-arn "arn:aws:iam::${account}:role/deployer" --role-session-name root)"
read -r session_key session_secret session_token < <(aws_as_app sts assume-role \
  --role-arn "arn:aws:iam::${account}:role/deployer" --role-session-name e2e --duration-seconds 900 \
  --query '[Credentials.AccessKeyId, Credentials.SecretAccessKey, Credentials.SessionToken]' --output text)
check "assume-role issues ASIA credentials" ASIA "${session_key:0:4}"
as_session() {
  AWS_ACCESS_KEY_ID=$session_key AWS_SECRET_ACCESS_KEY=$session_secret AWS_SESSION_TOKEN=$session_token AWS_DEFAULT_REGION=us-east-1 \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null "$AWS_CLI" --endpoint-url "$ENDPOINT" "$@"
}
check "the session is the assumed role" "arn:aws:sts::${account}:assumed-role/deployer/e2e" \
  "$(as_session sts get-caller-identity --query Arn --output text)"
check "the session decrypts with the role's permissions" "hello from app" \
  "$(as_session kms decrypt --ciphertext-blob "fileb://$WORK_DIR/cipher.bin" --query Plaintext --output text | base64 -d)"
wrong_token=$(AWS_ACCESS_KEY_ID=$session_key AWS_SECRET_ACCESS_KEY=$session_secret AWS_SESSION_TOKEN=forged AWS_DEFAULT_REGION=us-east-1 \
  AWS_SHARED_CREDENTIALS_FILE=/dev/null "$AWS_CLI" --endpoint-url "$ENDPOINT" sts get-caller-identity 2>&1)
check_contains "a forged session token is refused" "InvalidClientTokenId" "$wrong_token"

# Who may assume the role changes with its trust policy.
cat >"$WORK_DIR/trust-itself.json" <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${account}:role/deployer"},"Action":"sts:AssumeRole"}]}
JSON
aws_as_admin iam update-assume-role-policy --role-name deployer --policy-document "file://$WORK_DIR/trust-itself.json"
check "after update-assume-role-policy the user may no longer assume the role" AccessDenied \
  "$(aws_as_app sts assume-role --role-arn "arn:aws:iam::${account}:role/deployer" --role-session-name e2e 2>&1 | grep -o AccessDenied | head -1)"
aws_as_admin iam update-assume-role-policy --role-name deployer --policy-document "file://$WORK_DIR/trust.json"
check "and may again once the trust policy names it" ASIA \
  "$(aws_as_app sts assume-role --role-arn "arn:aws:iam::${account}:role/deployer" --role-session-name e2e --query Credentials.AccessKeyId --output text | cut -c1-4)"

# A deactivated access key authenticates nothing until it is active again.
aws_as_admin iam update-access-key --user-name app --access-key-id "$app_key" --status Inactive
check "update-access-key --status Inactive shows in list-access-keys" Inactive \
  "$(aws_as_admin iam list-access-keys --user-name app --query 'AccessKeyMetadata[0].Status' --output text)"
check_contains "an inactive access key is refused" "InvalidClientTokenId" "$(aws_as_app sts get-caller-identity 2>&1)"
aws_as_admin iam update-access-key --user-name app --access-key-id "$app_key" --status Active
check "active again, it authenticates as the user" "arn:aws:iam::${account}:user/app" \
  "$(aws_as_app sts get-caller-identity --query Arn --output text)"

# Clean-up order is enforced, as in IAM.
check "delete-role with policies is DeleteConflict" DeleteConflict "$(error_code iam delete-role --role-name deployer)"
aws_as_admin iam delete-role-policy --role-name deployer --policy-name kms
aws_as_admin iam delete-role --role-name deployer
check "delete-user with keys is DeleteConflict" DeleteConflict "$(error_code iam delete-user --user-name app)"
aws_as_admin iam delete-access-key --user-name app --access-key-id "$app_key"
check_contains "a deleted access key is refused" "InvalidClientTokenId" "$(aws_as_app sts get-caller-identity 2>&1)"
aws_as_admin iam delete-user-policy --user-name app --policy-name app-access
aws_as_admin iam delete-user --user-name app
check "the user is gone" NoSuchEntity "$(error_code iam get-user --user-name app)"

stop_server
finish
