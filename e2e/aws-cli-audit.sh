#!/usr/bin/env bash
# The audit trail with the real AWS CLI: `aws cloudtrail lookup-events` filters by key, user and event name;
# `strongroom audit verify` passes on the trail the server wrote and names the records a node script alters.
source "$(dirname "$0")/lib.sh"

echo "# AWS CLI audit trail (CloudTrail LookupEvents, verify, tampering)"
start_server --workers 2
cli() { node "$PROJECT_ROOT/dist/strongroom.js" "$@"; }
trail() { "$AWS_CLI" --endpoint-url "$ENDPOINT" --region us-east-1 cloudtrail lookup-events "$@"; }

key_arn=$(aws_kms create-key --description "audited key" --query KeyMetadata.Arn --output text)
aws_kms encrypt --key-id "$key_arn" --plaintext fileb://<(printf 'audit me') --query KeyId --output text >/dev/null
aws_kms describe-key --key-id "$key_arn" >/dev/null
aws_kms list-keys >/dev/null
check "a failed request is answered" NotFoundException \
  "$(error_code kms describe-key --key-id "arn:aws:kms:us-east-1:$(echo "$key_arn" | cut -d: -f5):key/00000000-0000-0000-0000-000000000000")"

check "lookup-events by key (ResourceName)" "DescribeKey Encrypt CreateKey" \
  "$(trail --lookup-attributes AttributeKey=ResourceName,AttributeValue="$key_arn" --query 'Events[].EventName' --output text | tr '\t' ' ')"
check "lookup-events by event name" "Encrypt" \
  "$(trail --lookup-attributes AttributeKey=EventName,AttributeValue=Encrypt --query 'Events[].EventName' --output text)"
check "lookup-events by user" "root" \
  "$(trail --lookup-attributes AttributeKey=Username,AttributeValue=root --query 'Events[].Username' --output text | tr '\t' '\n' | sort -u)"
check_contains "the record is CloudTrail's JSON" '"eventSource":"kms.amazonaws.com"' \
  "$(trail --lookup-attributes AttributeKey=EventName,AttributeValue=Encrypt --query 'Events[0].CloudTrailEvent' --output text)"
check "lookup-events records failures too" "NotFoundException" \
  "$(trail --lookup-attributes AttributeKey=EventName,AttributeValue=DescribeKey --query 'Events[].CloudTrailEvent' --output text | grep -o '"errorCode":"[A-Za-z]*"' | cut -d'"' -f4 | sort -u)"
check "lookup-events pages (--max-items 2)" "2 True" \
  "$(trail --max-items 2 --output json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["Events"]), "NextToken" in d)')"
check "too many lookup attributes" InvalidLookupAttributesException \
  "$(error_code --region us-east-1 cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Encrypt AttributeKey=Username,AttributeValue=root)"

stop_server

verify_output=$(cli audit verify --data-dir "$WORK_DIR/data"); verify_status=$?
check "strongroom audit verify passes after a clean stop" 0 "$verify_status"
check_contains "verify reports success" "audit trail verified" "$verify_output"
check "audit query --event-name Encrypt" 1 "$(cli audit query --data-dir "$WORK_DIR/data" --event-name Encrypt | wc -l | tr -d ' ')"
check "audit export writes JSON Lines" "$(cli audit query --data-dir "$WORK_DIR/data" --limit 100000 | wc -l)" \
  "$(cli audit export --data-dir "$WORK_DIR/data" | wc -l)"
cli audit public-key --data-dir "$WORK_DIR/data" >"$WORK_DIR/audit-public.pem"
check "verify with an exported public key" 0 "$(cli audit verify --data-dir "$WORK_DIR/data" --public-key "$WORK_DIR/audit-public.pem" >/dev/null; echo $?)"

# Tamper without sqlite3: a node script edits one record's JSON and deletes another.
(cd "$PROJECT_ROOT" && node --input-type=module -e "
import Database from 'better-sqlite3';
const db = new Database(process.argv[1]);
const rows = db.prepare('SELECT id, event_json FROM audit_records ORDER BY id').all();
db.prepare('UPDATE audit_records SET event_json = ? WHERE id = ?').run(rows[1].event_json.replace('kms.amazonaws.com', 'kms.example.com'), rows[1].id);
db.prepare('DELETE FROM audit_records WHERE id = ?').run(rows[3].id);
db.close();
" "$WORK_DIR/data/audit.db")
tampered=$(cli audit verify --data-dir "$WORK_DIR/data"); tampered_status=$?
check "verify fails on a tampered trail" 1 "$tampered_status"
check_contains "verify names the altered record" "altered" "$tampered"
check_contains "verify names the removed record" "removed" "$tampered"

finish
