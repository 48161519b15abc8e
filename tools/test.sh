#!/usr/bin/env bash
# Run every test against a real Odoo 18 and PostgreSQL, on a throwaway database:
#   1. install our addons with tests enabled: Odoo's in-module tests, browser
#      tours included;
#   2. start a server on that database on a free port and run the end-to-end
#      tests of tests/ against it through the external API.
# Fails on a failed or erroring test, on a skipped test (a skipped browser tour
# looks green otherwise) and on any ERROR or CRITICAL log line no test expected.
# The last line is "N passed, M failed".
#
# Environment: ZERON_TEST_DB (default: a new zeron_test_* name), KEEP_DB=1 to
# keep it, PYTEST_ARGS for extra pytest arguments, ZERON_TEST_TAGS for
# Odoo's --test-tags (default: our addons).
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${ZERON_TEST_DB:-zeron_test_$(date +%Y%m%d%H%M%S)_$$}"
LOG_DIR="${ZERON_LOG_DIR:-$REPO_DIR/build/test-logs}"
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log
ODOO_LOG="$LOG_DIR/odoo-tests.log"
SERVER_LOG="$LOG_DIR/odoo-server.log"
PYTEST_LOG="$LOG_DIR/pytest.log"
TEST_TAGS="${ZERON_TEST_TAGS:-$(echo "$ZERON_ADDONS" | sed 's/\(^\|,\)/\1\//g')}"
server_pid=""

cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "${KEEP_DB:-0}" != 1 ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# ERROR and CRITICAL lines of an Odoo log ("date time pid LEVEL db logger: msg").
error_lines() { grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$1" || true; }

say "Odoo in-module tests of $ZERON_ADDONS on database $DB"
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
start=$SECONDS
set +e
"${ODOO_BIN[@]}" --addons-path="$ADDONS_PATH" -d "$DB" -i "$ZERON_ADDONS" \
    --test-enable --test-tags "$TEST_TAGS" --stop-after-init --without-demo=all \
    --http-port="$(free_port)" --gevent-port="$(free_port)" \
    --log-level=test --logfile="$ODOO_LOG" --max-cron-threads=0
odoo_rc=$?
set -e
echo "    took $((SECONDS - start))s, log: $ODOO_LOG"

summary="$(grep -E 'odoo.tests.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$ODOO_LOG" | tail -n 1 || true)"
if [ -z "$summary" ]; then
    echo "No Odoo test summary in $ODOO_LOG (exit code $odoo_rc): the tests did not run." >&2
    tail -n 40 "$ODOO_LOG" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
read -r odoo_failed odoo_errors odoo_run < <(
    echo "$summary" | sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/'
)
odoo_skipped="$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$ODOO_LOG" || true)"
odoo_bad=$((odoo_failed + odoo_errors))
odoo_passed=$((odoo_run - odoo_bad - odoo_skipped))
echo "    $summary"
if [ "$odoo_skipped" -gt 0 ]; then
    echo "    $odoo_skipped skipped test(s), counted as failed:"
    grep -E ' INFO [^ ]+ [^ ]+: skipped ' "$ODOO_LOG" | sed 's/^/      /'
fi
unexpected=0
if [ "$odoo_bad" -eq 0 ] && [ -n "$(error_lines "$ODOO_LOG")" ]; then
    unexpected=1
    echo "    ERROR/CRITICAL log lines that no test expected:"
    error_lines "$ODOO_LOG" | head -n 20 | sed 's/^/      /'
elif [ "$odoo_bad" -gt 0 ]; then
    error_lines "$ODOO_LOG" | head -n 40 | sed 's/^/      /'
fi
if [ "$odoo_rc" -ne 0 ] && [ "$odoo_bad" -eq 0 ]; then
    echo "    Odoo exited with $odoo_rc" && unexpected=$((unexpected + 1))
fi

say "End-to-end tests (tests/) against a server on database $DB"
port="$(free_port)"
"${ODOO_BIN[@]}" --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$" \
    --http-interface=127.0.0.1 --http-port="$port" --gevent-port="$(free_port)" \
    --without-demo=all --max-cron-threads=0 --logfile="$SERVER_LOG" \
    --limit-time-real=3600 --limit-time-cpu=3600 &
server_pid=$!
wait_for_server "http://127.0.0.1:$port" 180
start=$SECONDS
set +e
ZERON_URL="http://127.0.0.1:$port" ZERON_DB="$DB" ZERON_DATA_CSV="$DATA_CSV" \
    "$PYTHON" -m pytest "$REPO_DIR/tests" -p no:cacheprovider -q -s ${PYTEST_ARGS:-} 2>&1 | tee "$PYTEST_LOG"
set -e
echo "    took $((SECONDS - start))s"
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

pytest_line="$(grep -E '^(=+ )?[0-9]+ (passed|failed|error)' "$PYTEST_LOG" | tail -n 1 || true)"
count() { echo "$pytest_line" | grep -oE "[0-9]+ $1" | grep -oE '[0-9]+' || echo 0; }
e2e_passed="$(count passed)"
e2e_failed=$(($(count failed) + $(count errors) + $(count error) + $(count skipped)))
if [ -z "$pytest_line" ]; then
    echo "    pytest ran no test" && e2e_failed=$((e2e_failed + 1))
fi
if [ -n "$(error_lines "$SERVER_LOG")" ]; then
    echo "    ERROR/CRITICAL lines in the server log ($SERVER_LOG):"
    error_lines "$SERVER_LOG" | head -n 20 | sed 's/^/      /'
    unexpected=$((unexpected + 1))
fi

passed=$((odoo_passed + e2e_passed))
failed=$((odoo_bad + odoo_skipped + e2e_failed + unexpected))
say "Odoo: $odoo_passed passed, $((odoo_bad + odoo_skipped)) failed; end-to-end: $e2e_passed passed, $e2e_failed failed; unexpected log errors: $unexpected"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
