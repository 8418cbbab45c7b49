# Shared helpers for the end-to-end scripts: start a real server, run checks, report "N passed, N failed".
# Sourced by e2e/*.sh; expects the project to be built (npm run build).
set -uo pipefail

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PASSED=0
FAILED=0
WORK_DIR=$(mktemp -d -t strongroom-e2e-XXXXXX)
SERVER_PID=''
OTHER_SERVER_PIDS=()

# The AWS CLI to drive: Debian's by default (CI installs it), or AWS_CLI=/path/to/aws.
AWS_CLI=${AWS_CLI:-$(command -v /usr/bin/aws || command -v aws || true)}
if [ -z "$AWS_CLI" ]; then
  echo "FAIL: the AWS CLI is not installed (apt-get install -y awscli, or set AWS_CLI)" >&2
  exit 1
fi

cleanup() {
  local pid
  for pid in "$SERVER_PID" "${OTHER_SERVER_PIDS[@]}"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
  done
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "  ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "  not ok - $1"; [ $# -gt 1 ] && echo "    $2"; }

# check "description" expected actual
check() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}

# check_contains "description" needle haystack
check_contains() {
  case "$3" in *"$2"*) pass "$1" ;; *) fail "$1" "expected to contain [$2], got [$3]" ;; esac
}

# Starts `strongroom serve` on a free port with a fresh data directory; sets ENDPOINT and points the CLI at
# the credentials file the first start writes, with nothing else configured.
start_server() {
  local log="$WORK_DIR/server.out"
  node "$PROJECT_ROOT/dist/strongroom.js" serve --port 0 --data-dir "$WORK_DIR/data" "$@" >"$log" 2>"$WORK_DIR/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    ENDPOINT=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1)
    [ -n "$ENDPOINT" ] && break
    sleep 0.1
  done
  if [ -z "$ENDPOINT" ]; then
    echo "FAIL: the server did not start"; cat "$log" "$WORK_DIR/server.err"; exit 1
  fi
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_REGION AWS_REGION
  export AWS_SHARED_CREDENTIALS_FILE="$WORK_DIR/data/credentials"
  export AWS_CONFIG_FILE="$WORK_DIR/no-config"
  export AWS_PAGER=''
}

# start_other_server NAME DATA_DIR PORT [serve flags...]: another `strongroom serve` beside start_server's, with its
# own data directory, on PORT (0: a free one; the port it got restarts it in place), appending its output to
# $WORK_DIR/NAME.out and NAME.err. Sets OTHER_ENDPOINT (http:// or https://) and OTHER_PID; stopped at exit if still
# running. The CLI's settings are left alone: this server's administrator is in DATA_DIR/credentials.
start_other_server() {
  local name=$1 data_dir=$2 port=$3; shift 3
  local log="$WORK_DIR/$name.out" started
  started=$(cat "$log" 2>/dev/null | grep -c 'Strongroom listening on')
  node "$PROJECT_ROOT/dist/strongroom.js" serve --port "$port" --data-dir "$data_dir" "$@" >>"$log" 2>>"$WORK_DIR/$name.err" &
  OTHER_PID=$!
  OTHER_SERVER_PIDS+=("$OTHER_PID")
  OTHER_ENDPOINT=''
  for _ in $(seq 1 100); do
    if [ "$(grep -c 'Strongroom listening on' "$log")" -gt "$started" ]; then
      OTHER_ENDPOINT=$(grep -o 'Strongroom listening on https\?://127\.0\.0\.1:[0-9]*' "$log" | tail -n 1 | cut -d' ' -f4)
      break
    fi
    sleep 0.1
  done
  if [ -z "$OTHER_ENDPOINT" ]; then
    echo "FAIL: the server $name did not start"; cat "$log" "$WORK_DIR/$name.err"; exit 1
  fi
}

# stop_other_server NAME PID: stops a server start_other_server started with SIGTERM and checks it exits 0.
stop_other_server() {
  kill -TERM "$2"
  wait "$2"
  check "server $1 stops cleanly on SIGTERM" 0 $?
}

# Stops the server with SIGTERM and checks it exits 0.
stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID"
  check "server stops cleanly on SIGTERM" 0 $?
  SERVER_PID=''
}

aws_kms() { "$AWS_CLI" --endpoint-url "$ENDPOINT" kms "$@"; }

# The error code of a failing CLI call ("" when it succeeds).
error_code() {
  local output
  if output=$("$AWS_CLI" --endpoint-url "$ENDPOINT" "$@" 2>&1); then echo ''; return; fi
  echo "$output" | grep -o '(\w*Exception)\|(\w*Error)' | head -n 1 | tr -d '()'
}

# Older CLIs (Debian's) lack newer KMS operations (rotate-key-on-demand, list-key-rotations): give the CLI the
# current KMS model from ../shared through AWS_DATA_PATH — the CLI's own mechanism for newer models.
use_current_kms_model() {
  if "$AWS_CLI" kms rotate-key-on-demand help >/dev/null 2>&1; then return; fi
  local model="$PROJECT_ROOT/../shared/aws-models/kms/service-2.json"
  if [ ! -f "$model" ]; then
    echo "FAIL: this AWS CLI lacks rotate-key-on-demand and ../shared/aws-models is absent"; exit 1
  fi
  mkdir -p "$WORK_DIR/models/kms/2014-11-01"
  ln -s "$model" "$WORK_DIR/models/kms/2014-11-01/service-2.json"
  export AWS_DATA_PATH="$WORK_DIR/models"
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
