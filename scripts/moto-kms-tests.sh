#!/usr/bin/env bash
# Runs moto's KMS test suite (tests/test_kms of github.com/getmoto/moto), unchanged, in moto's server mode against
# an ephemeral Strongroom started with --dev-any-credentials. Not part of CI: it fetches moto from GitHub (and,
# with --install, Python packages from PyPI), which CI cannot reach. Nothing of moto is kept in this repository.
#
# Usage: scripts/moto-kms-tests.sh [--install] [-- extra pytest arguments]
#   --install        create a virtualenv in the work directory and pip-install what the tests import
#   MOTO_REF         the moto commit or tag to test (default: the commit docs/development-mode.md reports on)
#   MOTO_DIR         an existing moto checkout to use instead of cloning
#   PYTHON           the Python to use (default python3); it needs boto3, botocore, pytest, freezegun,
#                    responses, werkzeug, xmltodict, jinja2, cryptography, python-dateutil and requests
#                    (Debian: apt-get install python3-pytest python3-boto3 python3-freezegun python3-responses
#                    python3-werkzeug python3-xmltodict python3-jinja2 python3-cryptography python3-dateutil)
#   WORK_DIR         where to clone and write results (default: a new temporary directory)
#
# Prints pytest's summary; failures are expected: docs/development-mode.md lists the known differences, and
# for each whether AWS or moto is right. Exits non-zero only when the run itself could not happen.
set -euo pipefail

MOTO_REF="${MOTO_REF:-0af643a5dbfc98797f08ee64f5be3ef8002d56ff}"
PYTHON="${PYTHON:-python3}"
INSTALL=0
PYTEST_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --install) INSTALL=1; shift ;;
    --) shift; PYTEST_ARGS=("$@"); break ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK_DIR="${WORK_DIR:-$(mktemp -d -t strongroom-moto-XXXXXX)}"
mkdir -p "$WORK_DIR"
echo "work directory: $WORK_DIR"

# moto's sources: the package (its tests import moto's decorators) and the KMS tests.
if [[ -n "${MOTO_DIR:-}" ]]; then
  MOTO="$MOTO_DIR"
else
  MOTO="$WORK_DIR/moto"
  if [[ ! -d "$MOTO/.git" ]]; then
    git clone --quiet --filter=blob:none --no-checkout https://github.com/getmoto/moto.git "$MOTO"
  fi
  git -C "$MOTO" sparse-checkout set moto tests/test_kms tests/__init__.py tests/conftest.py tests/markers.py
  git -C "$MOTO" checkout --quiet "$MOTO_REF"
fi
echo "moto $(git -C "$MOTO" rev-parse HEAD 2>/dev/null || echo '(not a git checkout)')"

if [[ "$INSTALL" == 1 ]]; then
  "$PYTHON" -m venv "$WORK_DIR/venv"
  PYTHON="$WORK_DIR/venv/bin/python"
  "$PYTHON" -m pip install --quiet boto3 botocore pytest freezegun responses werkzeug xmltodict jinja2 cryptography python-dateutil requests
fi
missing=()
for module in boto3 botocore pytest freezegun responses werkzeug xmltodict jinja2 cryptography dateutil requests; do
  "$PYTHON" -c "import $module" 2>/dev/null || missing+=("$module")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "$PYTHON lacks: ${missing[*]} (use --install, or see the header of $0)" >&2
  exit 2
fi

# Strongroom: in memory, development mode, any credentials (moto's clients sign with FOOBARKEY/FOOBARSECRET), and
# moto's account 123456789012 as the development account, so ARNs are those moto's tests expect.
SERVER_OUT="$WORK_DIR/strongroom.out"
SERVER_ERR="$WORK_DIR/strongroom.log"
node "$PROJECT_ROOT/scripts/start.mjs" serve --ephemeral --dev-any-credentials --dev-account-id 123456789012 --port 0 \
  >"$SERVER_OUT" 2>"$SERVER_ERR" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
ENDPOINT=""
for _ in $(seq 1 300); do
  ENDPOINT="$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$SERVER_OUT")"
  [[ -n "$ENDPOINT" ]] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "Strongroom did not start:" >&2
    cat "$SERVER_ERR" >&2
    exit 2
  fi
  sleep 0.1
done
[[ -n "$ENDPOINT" ]] || { echo "Strongroom printed no ready line in 30 s" >&2; exit 2; }
echo "Strongroom at $ENDPOINT"

# test_model.py, test_utils.py and test_server.py test moto's own code in-process, not a server: left out.
status=0
(
  cd "$MOTO"
  TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT="$ENDPOINT" PYTHONPATH="$MOTO${PYTHONPATH:+:$PYTHONPATH}" \
    "$PYTHON" -m pytest -p no:cacheprovider --color=no -q --tb=line -rf \
    --ignore=tests/test_kms/test_model.py --ignore=tests/test_kms/test_utils.py --ignore=tests/test_kms/test_server.py \
    --junitxml="$WORK_DIR/moto-kms.xml" tests/test_kms ${PYTEST_ARGS[@]+"${PYTEST_ARGS[@]}"}
) | tee "$WORK_DIR/moto-kms.txt" || status=$?
echo "results: $WORK_DIR/moto-kms.txt and moto-kms.xml (JUnit); server log: $SERVER_ERR"
# pytest: 0 all passed, 1 some failed (expected: see docs/development-mode.md); anything else: the run failed.
[[ "$status" -le 1 ]] || exit "$status"
