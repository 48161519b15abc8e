#!/usr/bin/env bash
# Benchmarks (tests/benchmarks/bench_*.py); not part of make test.
#
#   bash tools/bench.sh [--sizes 1000,5174] [--only NAME] [-- ARGS...]
#
#   1. installs the peer the invoicing benchmark compares us with, OCA's
#      `contract` 18.0, into the venv by pinned version (pip --no-deps; it needs
#      no other OCA module: it depends on base, account, product and portal);
#   2. creates two throwaway databases without demo data: PREFIX_ours with
#      zeron_subscription and PREFIX_peer with contract;
#   3. runs tests/benchmarks/bench_invoicing.py, then every other
#      tests/benchmarks/bench_*.py, each with the environment below and no
#      argument (ARGS after `--` go to bench_invoicing.py only);
#   4. drops every database whose name starts with PREFIX.
#
# Environment of each benchmark:
#   ZERON_BENCH_OURS_DB, ZERON_BENCH_PEER_DB  the two databases of step 2
#   ZERON_BENCH_DB_PREFIX   prefix for databases a benchmark creates (dropped
#                           at the end)
#   ZERON_BENCH_ADDONS_PATH Odoo's addons, ours and the peer's
#   ZERON_BENCH_SIZES       --sizes, when given
#   ZERON_BENCH_LOG_DIR     where to write logs and profiles
#   ODOO_PATH, ODOO_SRC     the Odoo 18.0 source tree
#   ZERON_DATA_CSV          the telco customers
#   PYTHON                  the venv's interpreter
#
# Settings: KEEP_DB=1 keeps the databases; ZERON_BENCH_PREFIX reuses the
# databases of an earlier KEEP_DB=1 run with that prefix when they exist.
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CONTRACT_VERSION="18.0.2.6.2"
PREFIX="${ZERON_BENCH_PREFIX:-zeron_bench_$(date +%Y%m%d%H%M%S)_$$}"
LOG_DIR="${ZERON_BENCH_LOG_DIR:-$REPO_DIR/build/bench-logs}"
ONLY=""
BENCH_ARGS=()

usage() { sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) export ZERON_BENCH_SIZES="$2"; shift 2 ;;
        --sizes=*) export ZERON_BENCH_SIZES="${1#--sizes=}"; shift ;;
        --only) ONLY="$2"; shift 2 ;;
        --only=*) ONLY="${1#--only=}"; shift ;;
        --) shift; BENCH_ARGS=("$@"); break ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

mkdir -p "$LOG_DIR"

cleanup() {
    if [ "${KEEP_DB:-0}" = 1 ]; then
        echo "kept the databases ${PREFIX}_*"
        return
    fi
    local db
    for db in $(psql -d postgres -Atc \
        "SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}\\_%'"); do
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

say "Peer: OCA contract $CONTRACT_VERSION in $VENV"
installed="$("$PYTHON" -m pip show odoo-addon-contract 2>/dev/null | sed -n 's/^Version: //p' || true)"
if [ "$installed" != "$CONTRACT_VERSION" ]; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps \
        "odoo-addon-contract==$CONTRACT_VERSION"
fi
PEER_ADDONS="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons"
# the addon must find every module it depends on in the addons path
"$PYTHON" - "$PEER_ADDONS/contract/__manifest__.py" "$ODOO_SRC/odoo/addons,$ADDONS_PATH,$PEER_ADDONS" <<'EOF'
import ast
import os
import sys

manifest = ast.literal_eval(open(sys.argv[1], encoding="utf-8").read())
paths = sys.argv[2].split(",")
missing = [
    dep
    for dep in manifest["depends"]
    if not any(os.path.isdir(os.path.join(path, dep)) for path in paths)
]
if missing:
    sys.exit(f"contract needs modules that are not installed: {missing}")
print(f"    contract {manifest['version']} depends on {manifest['depends']}: present")
EOF
BENCH_ADDONS_PATH="$ADDONS_PATH,$PEER_ADDONS"

db_exists() { [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# create_db NAME MODULES: a database with MODULES installed, without demo data
create_db() {
    local db="$1" modules="$2" log="$LOG_DIR/install-$1.log"
    if db_exists "$db"; then
        echo "    reusing database $db"
        return
    fi
    if ! "${ODOO_BIN[@]}" --addons-path="$BENCH_ADDONS_PATH" -d "$db" -i "$modules" \
        --stop-after-init --without-demo=all --max-cron-threads=0 \
        --http-interface=127.0.0.1 --http-port="$(free_port)" \
        --gevent-port="$(free_port)" --log-level=warn --logfile="$log"; then
        echo "installing $modules on $db failed, log: $log" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    echo "    created database $db with $modules"
}

say "Databases ${PREFIX}_ours (zeron_subscription) and ${PREFIX}_peer (contract)"
start=$SECONDS
# both at once: one core each
create_db "${PREFIX}_ours" zeron_subscription &
ours_pid=$!
create_db "${PREFIX}_peer" contract &
peer_pid=$!
ours_rc=0
peer_rc=0
wait "$ours_pid" || ours_rc=$?
wait "$peer_pid" || peer_rc=$?
if [ "$ours_rc" -ne 0 ] || [ "$peer_rc" -ne 0 ]; then
    exit 1
fi
echo "    took $((SECONDS - start))s"

export ZERON_BENCH_OURS_DB="${PREFIX}_ours"
export ZERON_BENCH_PEER_DB="${PREFIX}_peer"
export ZERON_BENCH_DB_PREFIX="$PREFIX"
export ZERON_BENCH_ADDONS_PATH="$BENCH_ADDONS_PATH"
export ZERON_BENCH_LOG_DIR="$LOG_DIR"
export ODOO_PATH="$ODOO_SRC" ODOO_SRC PYTHON
export ZERON_DATA_CSV="$DATA_CSV"

benches=("$REPO_DIR/tests/benchmarks/bench_invoicing.py")
for bench in "$REPO_DIR"/tests/benchmarks/bench_*.py; do
    if [ -f "$bench" ] && [ "$bench" != "${benches[0]}" ]; then
        benches+=("$bench")
    fi
done

failed=()
ran=0
for bench in "${benches[@]}"; do
    name="$(basename "$bench" .py)"
    name="${name#bench_}"
    if [ -n "$ONLY" ] && [ "$ONLY" != "$name" ]; then
        continue
    fi
    args=()
    if [ "$name" = invoicing ]; then
        args=("${BENCH_ARGS[@]}")
    fi
    say "Benchmark $name"
    ran=$((ran + 1))
    start=$SECONDS
    if "$PYTHON" "$bench" "${args[@]}" 2>&1 | tee "$LOG_DIR/bench-$name.log"; then
        echo "    took $((SECONDS - start))s, log: $LOG_DIR/bench-$name.log"
    else
        echo "    FAILED after $((SECONDS - start))s, log: $LOG_DIR/bench-$name.log"
        failed+=("$name")
    fi
done

if [ "$ran" -eq 0 ]; then
    echo "bench.sh: no benchmark named '$ONLY' in tests/benchmarks/" >&2
    exit 2
fi
if [ ${#failed[@]} -gt 0 ]; then
    say "Failed benchmarks: ${failed[*]}"
    exit 1
fi
